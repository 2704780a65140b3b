/* sesame-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_test_init() plus a private XDG_DATA_HOME / XDG_CONFIG_HOME / HOME. */
void   sesame_test_init          (int    *argc,
                                  char ***argv);
char  *sesame_test_make_tmpdir   (void);
void   sesame_test_remove_tree   (const char *path);
/* The path of a file in tests/data/ of the source tree. */
char  *sesame_test_data_path     (const char *name);

G_END_DECLS
