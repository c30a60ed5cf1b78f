// The workflow editor's model: pure functions over EditorState, no React and no DOM.
export type { EdgeRef, EditResult, EditorState, Pos, TaskDoc, WorkflowDoc } from './types';
export { addTask, defaultTask, newTaskId, removeElements, renameTask, updateTask } from './tasks';
export {
  connect,
  dagInputOf,
  disconnect,
  edgeId,
  edgesOf,
  mapNeeds,
  needsOf,
  upstreamPath,
  type FlowEdge,
} from './edges';
export { rewriteTaskRefs } from './templates';
export {
  CLIPBOARD_FORMAT,
  copyTasks,
  parseClipboard,
  pasteTasks,
  type Clipboard,
} from './clipboard';
export {
  HISTORY_LIMIT,
  canRedo,
  canUndo,
  createHistory,
  currentOf,
  push,
  redo,
  undo,
  type History,
} from './history';
export { fieldErrors, groupErrors, parsePath, type GroupedErrors } from './errors';
export { fromYaml, toYaml, type FromYamlResult } from './yamlText';
export {
  RETRY_PREVIEW_SHOWN,
  retryPreview,
  type RetryDelay,
  type RetryPreview,
} from './retryPreview';
export {
  DEFAULT_TRIGGER_RULE,
  TRIGGER_RULE_EXPLANATIONS,
  explainTriggerRule,
} from './triggerRules';
