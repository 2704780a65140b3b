/* sesame-reset-tokens.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-person.h"
#include "sesame-smtp-settings.h"
#include "sesame-store.h"

G_BEGIN_DECLS

/* A reset link works this long, once. */
#define SESAME_RESET_TOKEN_SECONDS 3600

gboolean      sesame_reset_tokens_request  (SesameStore         *self,
                                            const char          *login,
                                            SesameSmtpSettings  *settings,
                                            const char          *smtp_password,
                                            gboolean            *sent,
                                            GCancellable        *cancellable,
                                            GError             **error);
SesamePerson *sesame_reset_tokens_peek     (SesameStore         *self,
                                            const char          *token,
                                            GError             **error);
char         *sesame_reset_tokens_complete (SesameStore         *self,
                                            const char          *token,
                                            const char          *password,
                                            const char          *confirmation,
                                            GError             **error);

G_END_DECLS
