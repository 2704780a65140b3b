/* sesame-login.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *sesame_login_make     (const char  *first_name,
                                 const char  *last_name);
gboolean  sesame_login_is_valid (const char  *login,
                                 GError     **error);

G_END_DECLS
