"""Reading labelled cases (DICOM, NIfTI, NRRD, SEG, RTSTRUCT) into one layout.

The TypeScript evaluation command runs the viewer's engine on what this
package writes; the fine-tuning reads the same files, so both see the same
slices and the same ground truth.
"""
