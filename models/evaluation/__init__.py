"""Evaluation of the segmentation models on labelled cases (see EVALUATION.md)."""
