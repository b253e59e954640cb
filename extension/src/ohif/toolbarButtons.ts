/**
 * Our toolbar: a group button in the viewer's primary section that opens our
 * own section (box tool, propagate, new lesion). Labels come from our i18n.
 */
import type { i18n as I18n } from 'i18next';
import type { ToolbarButton } from './host/hostTypes';
import {
  BOX_TOOL_NAME,
  NEW_LESION_BUTTON,
  PROPAGATE_BUTTON,
  TOOLBAR_GROUP_BUTTON,
  TOOLBAR_SECTION,
} from './ids';

/** The buttons of our section, in order. */
export const SECTION_BUTTONS = [BOX_TOOL_NAME, PROPAGATE_BUTTON, NEW_LESION_BUTTON];

export function createToolbarButtons(i18n: I18n): ToolbarButton[] {
  const t = i18n.t.bind(i18n);
  return [
    {
      id: TOOLBAR_GROUP_BUTTON,
      uiType: 'ohif.toolButtonList',
      props: { buttonSection: TOOLBAR_SECTION, groupId: TOOLBAR_GROUP_BUTTON },
    },
    {
      id: BOX_TOOL_NAME,
      uiType: 'ohif.toolButton',
      props: {
        icon: 'tool-rectangle',
        label: t('toolbar.boxTool'),
        tooltip: t('toolbar.boxToolTooltip'),
        commands: { commandName: 'setToolActiveToolbar', commandOptions: { toolName: BOX_TOOL_NAME } },
        evaluate: 'evaluate.cornerstoneTool',
      },
    },
    {
      id: PROPAGATE_BUTTON,
      uiType: 'ohif.toolButton',
      props: {
        icon: 'icon-tool-interpolation',
        label: t('toolbar.propagate'),
        tooltip: t('toolbar.propagateTooltip'),
        commands: 'medsamPropagate',
        evaluate: 'evaluate.action',
      },
    },
    {
      id: NEW_LESION_BUTTON,
      uiType: 'ohif.toolButton',
      props: {
        icon: 'icon-add',
        label: t('toolbar.newLesion'),
        tooltip: t('toolbar.newLesionTooltip'),
        commands: 'medsamNewSegment',
        evaluate: 'evaluate.action',
      },
    },
  ];
}
