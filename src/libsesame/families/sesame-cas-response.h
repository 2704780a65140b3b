/* sesame-cas-response.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sesame-person.h"

G_BEGIN_DECLS

char *sesame_cas_response_success (SesamePerson *person,
                                   gboolean      from_new_sign_in,
                                   gsize        *length);
char *sesame_cas_response_failure (const GError *error,
                                   gsize        *length);

G_END_DECLS
