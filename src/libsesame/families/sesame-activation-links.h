/* sesame-activation-links.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-person.h"
#include "sesame-store.h"

G_BEGIN_DECLS

SesamePerson *sesame_activation_links_peek     (SesameStore  *self,
                                                const char   *token,
                                                GError      **error);
char         *sesame_activation_links_complete (SesameStore  *self,
                                                const char   *token,
                                                const char   *password,
                                                const char   *confirmation,
                                                GError      **error);

G_END_DECLS
