//! precis summarize stage.
