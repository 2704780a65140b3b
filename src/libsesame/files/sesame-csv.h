/* sesame-csv.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void sesame_csv_append_cell (GString    *line,
                             const char *value);

G_END_DECLS
