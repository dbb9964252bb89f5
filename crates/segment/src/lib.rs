//! precis segment stage.
