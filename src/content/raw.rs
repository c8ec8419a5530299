//! The serde mirror of a workbook file. (stub: being written)
