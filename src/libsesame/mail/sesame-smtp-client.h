/* sesame-smtp-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "sesame-smtp-settings.h"

G_BEGIN_DECLS

#define SESAME_SMTP_ERROR (sesame_smtp_error_quark ())

/**
 * SesameSmtpError:
 * @SESAME_SMTP_ERROR_FAILED: an unexpected failure
 * @SESAME_SMTP_ERROR_NOT_CONFIGURED: no mail server was chosen
 * @SESAME_SMTP_ERROR_HOST_NOT_FOUND: the server's name is unknown
 * @SESAME_SMTP_ERROR_CONNECTION_REFUSED: nothing answers on that port
 * @SESAME_SMTP_ERROR_TLS: the encrypted connection failed (no STARTTLS,
 *   a certificate not trusted, …)
 * @SESAME_SMTP_ERROR_AUTHENTICATION: the server refused the user or password
 * @SESAME_SMTP_ERROR_CONNECTION_LOST: the connection broke during a send
 * @SESAME_SMTP_ERROR_TIMEOUT: the server stopped answering
 * @SESAME_SMTP_ERROR_SENDER_REFUSED: the server refused the sender address
 * @SESAME_SMTP_ERROR_TEMPORARY: a 4xx reply about this message: try again later
 * @SESAME_SMTP_ERROR_PERMANENT: a 5xx reply about this message or recipient
 *
 * What went wrong with the mail server, in terms an office can act on.
 */
typedef enum
{
  SESAME_SMTP_ERROR_FAILED,
  SESAME_SMTP_ERROR_NOT_CONFIGURED,
  SESAME_SMTP_ERROR_HOST_NOT_FOUND,
  SESAME_SMTP_ERROR_CONNECTION_REFUSED,
  SESAME_SMTP_ERROR_TLS,
  SESAME_SMTP_ERROR_AUTHENTICATION,
  SESAME_SMTP_ERROR_CONNECTION_LOST,
  SESAME_SMTP_ERROR_TIMEOUT,
  SESAME_SMTP_ERROR_SENDER_REFUSED,
  SESAME_SMTP_ERROR_TEMPORARY,
  SESAME_SMTP_ERROR_PERMANENT,
} SesameSmtpError;

/* The environment variable naming a PEM file of the certificate authority
 * to trust for the mail server, for servers with a private certificate. */
#define SESAME_SMTP_CA_FILE_ENV "SESAME_SMTP_CA_FILE"

/**
 * SesameSmtpDataSentFunc:
 * @user_data: closure data
 *
 * Called during sesame_smtp_client_send() once the whole message has been
 * handed over, just before the end of data is sent: from then on the
 * server may deliver it even if its answer never arrives.
 *
 * Returns: %FALSE to abandon the message instead (the end of data is then
 *   never sent, so the server does not deliver it)
 */
typedef gboolean (*SesameSmtpDataSentFunc) (gpointer user_data);

#define SESAME_TYPE_SMTP_CLIENT (sesame_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (SesameSmtpClient, sesame_smtp_client, SESAME, SMTP_CLIENT, GObject)

GQuark            sesame_smtp_error_quark              (void);
gboolean          sesame_smtp_error_is_temporary       (const GError           *error);
gboolean          sesame_smtp_error_is_about_message   (const GError           *error);

SesameSmtpClient *sesame_smtp_client_new               (SesameSmtpSettings     *settings,
                                                        const char             *password);
SesameSmtpSettings *sesame_smtp_client_get_settings    (SesameSmtpClient       *self);
void              sesame_smtp_client_set_rate          (SesameSmtpClient       *self,
                                                        guint                   per_minute);
void              sesame_smtp_client_set_ca_file       (SesameSmtpClient       *self,
                                                        const char             *path);
void              sesame_smtp_client_set_data_sent_func (SesameSmtpClient      *self,
                                                         SesameSmtpDataSentFunc func,
                                                         gpointer               user_data);

gboolean          sesame_smtp_client_send              (SesameSmtpClient       *self,
                                                        const char             *recipient,
                                                        GBytes                 *message,
                                                        GCancellable           *cancellable,
                                                        GError                **error);
gboolean          sesame_smtp_client_send_message      (SesameSmtpClient       *self,
                                                        GMimeMessage           *message,
                                                        GCancellable           *cancellable,
                                                        GError                **error);
void              sesame_smtp_client_send_message_async (SesameSmtpClient      *self,
                                                         GMimeMessage          *message,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
gboolean          sesame_smtp_client_send_message_finish (SesameSmtpClient     *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void              sesame_smtp_client_disconnect        (SesameSmtpClient       *self);

const char       *sesame_smtp_client_get_last_reply    (SesameSmtpClient       *self);
guint             sesame_smtp_client_get_last_code     (SesameSmtpClient       *self);
gboolean          sesame_smtp_client_get_data_sent     (SesameSmtpClient       *self);
guint             sesame_smtp_client_get_connections   (SesameSmtpClient       *self);
gint64            sesame_smtp_client_get_next_send_time (SesameSmtpClient      *self);

GMimeMessage     *sesame_smtp_client_new_test_message  (SesameSmtpClient       *self,
                                                        const char             *to,
                                                        GError                **error);

G_END_DECLS
