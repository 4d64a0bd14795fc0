//! VM (being written).
