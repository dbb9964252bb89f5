//! precis embed stage.
