/**
 * The few OHIF 3.13 host shapes we use. The @ohif/* packages ship only UMD files
 * that cannot be type-checked (../shared/docs/ohif-host.md), so the contract we
 * rely on is written down here, narrowly: a field we do not use is not typed.
 */

export interface PubSubscription {
  unsubscribe: () => void;
}

export interface DisplaySet {
  displaySetInstanceUID: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SeriesDescription?: string;
  SeriesNumber?: number | string;
  Modality: string;
  numImageFrames?: number;
  instances?: unknown[];
}

export interface DisplaySetService {
  EVENTS: Record<string, string>;
  getActiveDisplaySets(): DisplaySet[];
  getDisplaySetByUID(uid: string): DisplaySet | undefined;
  subscribe(event: string, callback: (...args: unknown[]) => void): PubSubscription;
}

export interface ToolbarButton {
  id: string;
  uiType: string;
  props: Record<string, unknown>;
}

export interface ToolbarService {
  register(buttons: ToolbarButton[]): void;
  updateSection(section: string, buttonIds: string[]): void;
  getButtonSection?(section: string): Array<{ id: string }>;
  state?: { buttonSections?: Record<string, string[]> };
}

export interface UINotificationService {
  show(options: { title: string; message: string; type: 'error' | 'info' | 'success' | 'warning'; duration?: number }): void;
}

export interface ToolGroup {
  addTool(toolName: string, configuration?: Record<string, unknown>): void;
  hasTool(toolName: string): boolean;
  setToolPassive(toolName: string): void;
}

export interface ToolGroupService {
  getToolGroup(toolGroupId: string): ToolGroup | undefined;
  getToolGroupIds(): string[];
}

export interface CustomizationService {
  /** Mode scope: reset by the viewer whenever the mode changes. */
  setCustomizations(customizations: Record<string, { $set: unknown }>): void;
  getCustomization(id: string): unknown;
}

export interface HostServices {
  customizationService: CustomizationService;
  displaySetService: DisplaySetService;
  toolbarService: ToolbarService;
  uiNotificationService: UINotificationService;
  toolGroupService: ToolGroupService;
  [name: string]: unknown;
}

export interface ServicesManager {
  services: HostServices;
}

export interface CommandsManager {
  runCommand(name: string, options?: Record<string, unknown>, context?: string): unknown;
}

export interface ModuleEntry<T> {
  exports: T;
}

export interface ExtensionManager {
  getModuleEntry<T = unknown>(id: string): ModuleEntry<T> | undefined;
}

/** What the host passes to an extension's module getters. */
export interface ExtensionParams {
  servicesManager: ServicesManager;
  commandsManager: CommandsManager;
  extensionManager: ExtensionManager;
  configuration?: Record<string, unknown>;
}

export interface PanelModuleEntry {
  name: string;
  iconName: string;
  iconLabel: string;
  label: string;
  component: unknown;
}
