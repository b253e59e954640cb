/**
 * Our toolbar: a group button in the viewer's primary section that opens our
 * own section. Labels come from our i18n instance.
 */
import type { i18n as I18n } from 'i18next';
import type { ToolbarButton } from './host/hostTypes';
import { BOX_TOOL_NAME, TOOLBAR_GROUP_BUTTON, TOOLBAR_SECTION } from './ids';

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
  ];
}
