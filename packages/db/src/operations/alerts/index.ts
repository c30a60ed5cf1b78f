export * from './channels';
export * from './rules';
export * from './incidents';
export * from './deliveries';
export * from './watch';
