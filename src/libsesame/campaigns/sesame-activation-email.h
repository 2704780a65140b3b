/* sesame-activation-email.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-smtp-settings.h"
#include "sesame-store.h"

G_BEGIN_DECLS

gboolean sesame_activation_email_send (SesameStore        *self,
                                       SesameSmtpSettings *settings,
                                       const char         *smtp_password,
                                       const char         *login,
                                       GCancellable       *cancellable,
                                       GError            **error);

G_END_DECLS
