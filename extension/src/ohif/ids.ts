/** Identifiers shared by the extension and the mode (compile-checked, not strings scattered). */
export const EXTENSION_ID = '@medsam/extension';
export const PANEL_NAME = 'medsam';
export const PANEL_ID = `${EXTENSION_ID}.panelModule.${PANEL_NAME}`;
export const BOX_TOOL_NAME = 'MedSAMBox';
export const TOOLBAR_SECTION = 'MedSAMTools';
export const TOOLBAR_GROUP_BUTTON = 'MedSAM';
export const MODE_ID = '@medsam/mode';
export const ROUTE_NAME = 'medsam';
export const UTILITY_MODULE_NAME = 'medsam';
export const UTILITY_MODULE_ID = `${EXTENSION_ID}.utilityModule.${UTILITY_MODULE_NAME}`;
export const PROPAGATE_BUTTON = 'MedSAMPropagate';
export const NEW_LESION_BUTTON = 'MedSAMNewLesion';
export const BURDEN_PANEL_NAME = 'medsam-burden';
export const BURDEN_PANEL_ID = `${EXTENSION_ID}.panelModule.${BURDEN_PANEL_NAME}`;
