//! Work in progress: see the crate table in the repository README.
#![no_std]
