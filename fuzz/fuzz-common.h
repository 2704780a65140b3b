/* fuzz-common.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every fuzz target shares: the libFuzzer entry points, a scratch
 * folder on a memory filesystem, and a way to cut one input into fields.
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Implemented by each target; called by libFuzzer, or by fuzz-replay.c in
 * the normal test suite. */
int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

void        fuzz_init              (void);
const char *fuzz_scratch_dir       (void);
void        fuzz_remove_tree       (const char     *path);
void        fuzz_write_file        (const char     *path,
                                    const guint8   *data,
                                    gsize           len);
GPtrArray  *fuzz_split             (const guint8   *data,
                                    gsize           size,
                                    const char     *separator,
                                    gsize           sep_len,
                                    guint           max_fields);
char       *fuzz_field_utf8        (GPtrArray      *fields,
                                    guint           index,
                                    const char     *fallback);

G_END_DECLS
