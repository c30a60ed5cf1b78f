// Entry point of `dtss` (started by bin/dtss.js).
import { createProgram } from './program';

await createProgram().parseAsync(process.argv);
