// @dtss/cli as a library: the assembled program, for tests and for embedding.
export { createProgram } from './program';
