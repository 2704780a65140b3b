/* sesame-credentials.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sesame_credentials_generate_password (guint length);

G_END_DECLS
