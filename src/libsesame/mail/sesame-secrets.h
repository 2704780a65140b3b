/* sesame-secrets.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

/* The schema of Sésame's own secrets in the desktop keyring. */
#define SESAME_SECRET_SCHEMA_SMTP "fr.sesame.Sesame.Smtp"
/* The schema of the establishment's key on a desk joined to a server. */
#define SESAME_SECRET_SCHEMA_SEAL_KEY "fr.sesame.Sesame.SealKey"

const SecretSchema *sesame_secrets_get_smtp_schema          (void);

gboolean            sesame_secrets_store_smtp_password      (const char           *server,
                                                             const char           *user,
                                                             const char           *password,
                                                             GCancellable         *cancellable,
                                                             GError              **error);
void                sesame_secrets_store_smtp_password_async (const char          *server,
                                                              const char          *user,
                                                              const char          *password,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            sesame_secrets_store_smtp_password_finish (GAsyncResult       *result,
                                                               GError            **error);

char               *sesame_secrets_lookup_smtp_password     (const char           *server,
                                                             const char           *user,
                                                             GCancellable         *cancellable,
                                                             GError              **error);
void                sesame_secrets_lookup_smtp_password_async (const char         *server,
                                                               const char         *user,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
char               *sesame_secrets_lookup_smtp_password_finish (GAsyncResult      *result,
                                                                GError           **error);

gboolean            sesame_secrets_clear_smtp_password      (const char           *server,
                                                             const char           *user,
                                                             GCancellable         *cancellable,
                                                             GError              **error);
void                sesame_secrets_clear_smtp_password_async (const char          *server,
                                                              const char          *user,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean            sesame_secrets_clear_smtp_password_finish (GAsyncResult       *result,
                                                               GError            **error);

const SecretSchema *sesame_secrets_get_seal_key_schema      (void);
gboolean            sesame_secrets_store_seal_key           (const char           *store_id,
                                                             const char           *desk_id,
                                                             const char           *key,
                                                             GCancellable         *cancellable,
                                                             GError              **error);
char               *sesame_secrets_lookup_seal_key          (const char           *store_id,
                                                             const char           *desk_id,
                                                             GCancellable         *cancellable,
                                                             GError              **error);
gboolean            sesame_secrets_clear_seal_key           (const char           *store_id,
                                                             const char           *desk_id,
                                                             GCancellable         *cancellable,
                                                             GError              **error);

void                sesame_secrets_free_password            (char                 *password);

G_END_DECLS
