/**
 * SPIR-V modules as the runtime handles them: what a module declares, and the translator that turns
 * them into SPIR 1.2 for OpenCL drivers that do not ingest SPIR-V.
 */
package io.tessera.tasks.runtime.spirv;
