"""Model files for the viewer: manifests, export toolchain, reference."""
