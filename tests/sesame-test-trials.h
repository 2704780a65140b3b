/* sesame-test-trials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *sesame_trial_dump_synced   (const char         *store_path);
int       sesame_trial_count_rows    (const char         *store_path,
                                     const char         *sql);

G_END_DECLS
