"""Reference pre- and post-processing of MedSAM and LiteMedSAM.

A plain NumPy/SciPy/PyTorch restatement of the authors' pipelines
(``../shared/docs/model-contract.md``), driven by a model manifest, for the
parity tests of the in-browser engine. See ``models/README.md`` for the CLI.
"""
