//! Work in progress: the example merchant server (issue 7).
