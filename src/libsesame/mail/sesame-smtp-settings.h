/* sesame-smtp-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameSmtpSecurity:
 * @SESAME_SMTP_SECURITY_STARTTLS: plain connection upgraded with STARTTLS,
 *   which the server must offer (usually port 587)
 * @SESAME_SMTP_SECURITY_TLS: implicit TLS from the first byte (usually port 465)
 * @SESAME_SMTP_SECURITY_NONE: no encryption; only towards a server on this
 *   machine (localhost, 127.0.0.1, ::1)
 *
 * How the connection to the mail server is protected.
 */
typedef enum
{
  SESAME_SMTP_SECURITY_STARTTLS,
  SESAME_SMTP_SECURITY_TLS,
  SESAME_SMTP_SECURITY_NONE,
} SesameSmtpSecurity;

/* The store's settings that hold the mail server's details. The password is
 * never one of them: it lives in the desktop keyring (sesame-secrets.h). */
#define SESAME_SETTING_SMTP_HOST         "smtp-host"
#define SESAME_SETTING_SMTP_PORT         "smtp-port"
#define SESAME_SETTING_SMTP_SECURITY     "smtp-security"
#define SESAME_SETTING_SMTP_USER         "smtp-user"
#define SESAME_SETTING_SMTP_FROM_ADDRESS "smtp-from-address"
#define SESAME_SETTING_SMTP_FROM_NAME    "smtp-from-name"
#define SESAME_SETTING_SMTP_RATE         "smtp-rate"

/* Messages per minute when no rate was chosen: what a school's mail
 * provider accepts without flagging the sender. */
#define SESAME_SMTP_DEFAULT_RATE 60
#define SESAME_SMTP_MAX_RATE     100000

#define SESAME_TYPE_SMTP_SECURITY (sesame_smtp_security_get_type ())
#define SESAME_TYPE_SMTP_SETTINGS (sesame_smtp_settings_get_type ())

GType sesame_smtp_security_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (SesameSmtpSettings, sesame_smtp_settings, SESAME, SMTP_SETTINGS, GObject)

const char         *sesame_smtp_security_to_token       (SesameSmtpSecurity  security);
const char         *sesame_smtp_security_to_label       (SesameSmtpSecurity  security);
gboolean            sesame_smtp_security_from_token     (const char         *token,
                                                         SesameSmtpSecurity *security);
guint               sesame_smtp_security_default_port   (SesameSmtpSecurity  security);
gboolean            sesame_smtp_host_is_local           (const char         *host);

SesameSmtpSettings *sesame_smtp_settings_new            (void);
SesameSmtpSettings *sesame_smtp_settings_load           (SesameStore        *store,
                                                         GError            **error);
gboolean            sesame_smtp_settings_save           (SesameSmtpSettings *self,
                                                         SesameStore        *store,
                                                         GError            **error);
gboolean            sesame_smtp_settings_validate       (SesameSmtpSettings *self,
                                                         GError            **error);
gboolean            sesame_smtp_settings_is_configured  (SesameSmtpSettings *self);
char               *sesame_smtp_settings_dup_url        (SesameSmtpSettings *self);

const char         *sesame_smtp_settings_get_host       (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_host       (SesameSmtpSettings *self,
                                                         const char         *host);
guint               sesame_smtp_settings_get_port       (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_port       (SesameSmtpSettings *self,
                                                         guint               port);
SesameSmtpSecurity  sesame_smtp_settings_get_security   (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_security   (SesameSmtpSettings *self,
                                                         SesameSmtpSecurity  security);
const char         *sesame_smtp_settings_get_user       (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_user       (SesameSmtpSettings *self,
                                                         const char         *user);
const char         *sesame_smtp_settings_get_from_address (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_from_address (SesameSmtpSettings *self,
                                                           const char         *address);
const char         *sesame_smtp_settings_get_from_name  (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_from_name  (SesameSmtpSettings *self,
                                                         const char         *name);
guint               sesame_smtp_settings_get_rate       (SesameSmtpSettings *self);
void                sesame_smtp_settings_set_rate       (SesameSmtpSettings *self,
                                                         guint               per_minute);

G_END_DECLS
