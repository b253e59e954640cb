/**
 * The MedSAM box tool: cornerstone's rectangle tool without its statistics
 * text. The class is created at run time because its base class lives in the
 * viewer's copy of cornerstoneTools, which we must not bundle.
 */
import type { CornerstoneLibraries } from '../host/cornerstoneLibraries';
import { BOX_TOOL_NAME } from '../ids';

export function createMedSAMBoxTool({ cornerstoneTools }: CornerstoneLibraries): unknown {
  const Base = cornerstoneTools.RectangleROITool;
  class MedSAMBoxTool extends Base {
    static override toolName = BOX_TOOL_NAME;

    /** No statistics: the box is a prompt, not a measurement. */
    override _calculateCachedStats = (
      annotation: Parameters<InstanceType<typeof Base>['_calculateCachedStats']>[0],
    ) => {
      annotation.invalidated = false;
      return annotation.data.cachedStats;
    };

    override getLinkedTextBoxStyle = () => ({ visibility: false });

    /**
     * No undo step for drawing the box: it is removed as soon as it is read, so
     * the viewer's Undo would silently "undo" a box nobody sees, and Redo would
     * bring it back as a stray rectangle that catches the next drag. The outline
     * it produces has its own undo step (labelmapWriter.ts).
     */
    override createMemo = () => undefined;
  }
  return MedSAMBoxTool;
}
