"""Export toolchain: MedSAM-family architectures, checkpoint checks, ONNX.

Our own implementation of the MedSAM ViT-B and LiteMedSAM (TinyViT)
architectures, written so that their state-dict keys and shapes equal the
official checkpoints (``../shared/models/*.tsv``), and the commands that turn
such a checkpoint into the ONNX files and manifest the viewer loads.
"""
