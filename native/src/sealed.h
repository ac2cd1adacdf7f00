#ifndef JAVARUN_SEALED_H
#define JAVARUN_SEALED_H

/* Make sure the running image is a sealed memfd copy of the helper (CVE-2019-5736). Returns 0
 * when it already is; otherwise re-executes itself and only returns (-1, detail set) on failure. */
int sealed_reexec(char **argv);

#endif
