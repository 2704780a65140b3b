/* sesame-cas-tickets.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-person.h"
#include "sesame-store.h"

G_BEGIN_DECLS

char         *sesame_cas_tickets_issue    (SesameStore  *store,
                                           const char   *login,
                                           const char   *service,
                                           gboolean      from_new_sign_in,
                                           GError      **error);
SesamePerson *sesame_cas_tickets_validate (SesameStore  *store,
                                           const char   *ticket,
                                           const char   *service,
                                           gboolean      renew,
                                           gboolean     *from_new_sign_in,
                                           GError      **error);

G_END_DECLS
