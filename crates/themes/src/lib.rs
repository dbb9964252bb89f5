//! precis themes stage.
