/**
 * containerd-shim-javarun-v2: the launcher's start and delete commands ({@code launch}), the
 * daemon's one reaper ({@code process}), container stdio ({@code io}), the ordered event queue
 * ({@code events}) and the task service calling runtime-core in-process ({@code task}).
 */
package io.javarun.shim;
