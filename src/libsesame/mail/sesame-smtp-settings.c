/* sesame-smtp-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mail server's details, kept in the store's settings so that every desk
 * sends through the same server. The password is not one of them.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-smtp"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sesame-error.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-settings.h"
#include "sesame-store-private.h"

/**
 * SesameSmtpSettings:
 *
 * The mail server's details as the preferences edit them: host, port,
 * security, user, sender and rate, each a property that notifies when it
 * changes. They are read from the store with sesame_smtp_settings_load()
 * and written back with sesame_smtp_settings_save(); the password is kept
 * in the keyring (sesame-secrets.h).
 */
struct _SesameSmtpSettings
{
  GObject             parent_instance;

  char               *host;
  char               *user;
  char               *from_address;
  char               *from_name;
  guint               port;
  guint               rate;
  SesameSmtpSecurity  security;
};

G_DEFINE_FINAL_TYPE (SesameSmtpSettings, sesame_smtp_settings, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SesameSmtpSecurity, sesame_smtp_security,
                    G_DEFINE_ENUM_VALUE (SESAME_SMTP_SECURITY_STARTTLS, "starttls"),
                    G_DEFINE_ENUM_VALUE (SESAME_SMTP_SECURITY_TLS, "tls"),
                    G_DEFINE_ENUM_VALUE (SESAME_SMTP_SECURITY_NONE, "none"))

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_USER,
  PROP_FROM_ADDRESS,
  PROP_FROM_NAME,
  PROP_RATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const security_tokens[] = {
  [SESAME_SMTP_SECURITY_STARTTLS] = "starttls",
  [SESAME_SMTP_SECURITY_TLS]      = "tls",
  [SESAME_SMTP_SECURITY_NONE]     = "none",
};

/**
 * sesame_smtp_security_to_token:
 * @security: a #SesameSmtpSecurity
 *
 * Gives the security's stable name, the one the store keeps and sesamectl
 * accepts.
 *
 * Returns: `starttls`, `tls` or `none`, as the command line and the store
 *   write it
 */
const char *
sesame_smtp_security_to_token (SesameSmtpSecurity security)
{
  g_return_val_if_fail (security <= SESAME_SMTP_SECURITY_NONE, "starttls");
  return security_tokens[security];
}

/**
 * sesame_smtp_security_to_label:
 * @security: a #SesameSmtpSecurity
 *
 * Names the security for people, e.g. in the test message and in errors.
 *
 * Returns: the security in words, for messages read by people:
 *   "STARTTLS", "TLS" or "none" (translated)
 */
const char *
sesame_smtp_security_to_label (SesameSmtpSecurity security)
{
  switch (security)
    {
    case SESAME_SMTP_SECURITY_TLS:
      return "TLS";
    case SESAME_SMTP_SECURITY_NONE:
      /* TRANSLATORS: the security of the mail server's connection, as in
       * "security: none"; French: « aucune » */
      return C_("smtp security", "none");
    case SESAME_SMTP_SECURITY_STARTTLS:
    default:
      return "STARTTLS";
    }
}

/**
 * sesame_smtp_security_from_token:
 * @token: a token as the store and sesamectl write it ("starttls", "tls",
 *   "none"), in any case
 * @security: (out): where to put the security it names
 *
 * Reads a security's token back, ignoring ASCII case.
 *
 * Returns: %TRUE if @token names a security, %FALSE (and @security
 *   untouched) otherwise
 */
gboolean
sesame_smtp_security_from_token (const char         *token,
                                 SesameSmtpSecurity *security)
{
  for (guint i = 0; token != NULL && i < G_N_ELEMENTS (security_tokens); i++)
    if (g_ascii_strcasecmp (token, security_tokens[i]) == 0)
      {
        *security = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sesame_smtp_security_default_port:
 * @security: a #SesameSmtpSecurity
 *
 * Gives the port to propose when the security changes and no port was
 * chosen.
 *
 * Returns: the usual port: 587 (submission) for STARTTLS, 465 for implicit
 *   TLS, 25 without encryption
 */
guint
sesame_smtp_security_default_port (SesameSmtpSecurity security)
{
  switch (security)
    {
    case SESAME_SMTP_SECURITY_TLS:
      return 465;
    case SESAME_SMTP_SECURITY_NONE:
      return 25;
    case SESAME_SMTP_SECURITY_STARTTLS:
    default:
      return 587;
    }
}

/**
 * sesame_smtp_host_is_local:
 * @host: a host name or address
 *
 * Tells whether @host is this machine (`localhost`, `127.0.0.1`, `::1`),
 * the only server sesame_smtp_settings_validate() lets Sésame reach without
 * encryption.
 *
 * Returns: whether @host names this machine, the only place an unencrypted
 *   connection may go
 */
gboolean
sesame_smtp_host_is_local (const char *host)
{
  if (host == NULL)
    return FALSE;
  return g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_equal (host, "127.0.0.1") ||
         g_str_equal (host, "::1") ||
         g_str_equal (host, "[::1]");
}

static gboolean
host_is_valid (const char *host)
{
  gsize len = strlen (host);
  gboolean ipv6 = strchr (host, ':') != NULL;

  if (len == 0 || len > 253)
    return FALSE;
  if (host[0] == '[' && host[len - 1] == ']')
    {
      host++;
      len -= 2;
      ipv6 = TRUE;
    }
  for (gsize i = 0; i < len; i++)
    {
      char c = host[i];

      if (ipv6 ? !(g_ascii_isxdigit (c) || c == ':' || c == '.')
               : !(g_ascii_isalnum (c) || c == '.' || c == '-'))
        return FALSE;
    }
  return host[0] != '-' && host[0] != '.';
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return TRUE;
    }
  return FALSE;
}

static void
sesame_smtp_settings_finalize (GObject *object)
{
  SesameSmtpSettings *self = (SesameSmtpSettings *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->from_address, g_free);
  g_clear_pointer (&self->from_name, g_free);

  G_OBJECT_CLASS (sesame_smtp_settings_parent_class)->finalize (object);
}

static void
sesame_smtp_settings_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SesameSmtpSettings *self = SESAME_SMTP_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_SECURITY:
      g_value_set_enum (value, self->security);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_FROM_ADDRESS:
      g_value_set_string (value, self->from_address);
      break;
    case PROP_FROM_NAME:
      g_value_set_string (value, self->from_name);
      break;
    case PROP_RATE:
      g_value_set_uint (value, self->rate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_smtp_settings_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SesameSmtpSettings *self = SESAME_SMTP_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_HOST:
      sesame_smtp_settings_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      sesame_smtp_settings_set_port (self, g_value_get_uint (value));
      break;
    case PROP_SECURITY:
      sesame_smtp_settings_set_security (self, g_value_get_enum (value));
      break;
    case PROP_USER:
      sesame_smtp_settings_set_user (self, g_value_get_string (value));
      break;
    case PROP_FROM_ADDRESS:
      sesame_smtp_settings_set_from_address (self, g_value_get_string (value));
      break;
    case PROP_FROM_NAME:
      sesame_smtp_settings_set_from_name (self, g_value_get_string (value));
      break;
    case PROP_RATE:
      sesame_smtp_settings_set_rate (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_smtp_settings_class_init (SesameSmtpSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sesame_smtp_settings_finalize;
  object_class->get_property = sesame_smtp_settings_get_property;
  object_class->set_property = sesame_smtp_settings_set_property;

  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, "", flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, 65535, 587, flags);
  properties[PROP_SECURITY] = g_param_spec_enum ("security", NULL, NULL,
                                                 sesame_smtp_security_get_type (),
                                                 SESAME_SMTP_SECURITY_STARTTLS, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, "", flags);
  properties[PROP_FROM_ADDRESS] = g_param_spec_string ("from-address", NULL, NULL, "", flags);
  properties[PROP_FROM_NAME] = g_param_spec_string ("from-name", NULL, NULL, "", flags);
  /**
   * SesameSmtpSettings:rate:
   *
   * At most this many messages per minute; 0 for no limit.
   */
  properties[PROP_RATE] = g_param_spec_uint ("rate", NULL, NULL, 0, SESAME_SMTP_MAX_RATE,
                                             SESAME_SMTP_DEFAULT_RATE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sesame_smtp_settings_init (SesameSmtpSettings *self)
{
  self->host = g_strdup ("");
  self->user = g_strdup ("");
  self->from_address = g_strdup ("");
  self->from_name = g_strdup ("");
  self->port = 587;
  self->rate = SESAME_SMTP_DEFAULT_RATE;
  self->security = SESAME_SMTP_SECURITY_STARTTLS;
}

/**
 * sesame_smtp_settings_new:
 *
 * Settings with no server, STARTTLS on the default port and the default
 * rate: fill them, or load the store's with sesame_smtp_settings_load().
 *
 * Returns: (transfer full): new #SesameSmtpSettings
 */
SesameSmtpSettings *
sesame_smtp_settings_new (void)
{
  return g_object_new (SESAME_TYPE_SMTP_SETTINGS, NULL);
}

/**
 * sesame_smtp_settings_load:
 * @store: a #SesameStore
 * @error: return location for a #GError; loading does not fail today
 *   (values the store cannot give keep their defaults), but callers check
 *   it so that it may
 *
 * Reads the mail server's details from the store. Values never set keep
 * their defaults, as does a security the store does not know, and the rate
 * is capped at %SESAME_SMTP_MAX_RATE; sesame_smtp_settings_is_configured()
 * tells whether a server was chosen at all. It reads the store, which is
 * used by one thread at a time.
 *
 * Returns: (transfer full): the settings
 */
SesameSmtpSettings *
sesame_smtp_settings_load (SesameStore  *store,
                           GError      **error)
{
  g_autoptr(SesameSmtpSettings) self = sesame_smtp_settings_new ();
  g_autofree char *security = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  g_free (self->host);
  self->host = sesame_store_settings_dup (store, SESAME_SETTING_SMTP_HOST, "");
  g_free (self->user);
  self->user = sesame_store_settings_dup (store, SESAME_SETTING_SMTP_USER, "");
  g_free (self->from_address);
  self->from_address = sesame_store_settings_dup (store, SESAME_SETTING_SMTP_FROM_ADDRESS, "");
  g_free (self->from_name);
  self->from_name = sesame_store_settings_dup (store, SESAME_SETTING_SMTP_FROM_NAME, "");
  security = sesame_store_settings_dup (store, SESAME_SETTING_SMTP_SECURITY, "starttls");
  if (!sesame_smtp_security_from_token (security, &self->security))
    self->security = SESAME_SMTP_SECURITY_STARTTLS;
  self->port = sesame_store_settings_get_int (store, SESAME_SETTING_SMTP_PORT,
                                              sesame_smtp_security_default_port (self->security));
  self->rate = MIN ((guint) sesame_store_settings_get_int (store, SESAME_SETTING_SMTP_RATE,
                                                           SESAME_SMTP_DEFAULT_RATE),
                    SESAME_SMTP_MAX_RATE);

  return g_steal_pointer (&self);
}

/**
 * sesame_smtp_settings_validate:
 * @self: a #SesameSmtpSettings
 * @error: return location for a #GError
 *
 * Checks the settings as the Preferences and `sesamectl smtp set` accept
 * them: a server, a port, a valid sender address, and no unencrypted
 * connection to another machine.
 *
 * It fails with %SESAME_ERROR_INVALID for a missing or malformed server, a
 * bad port, sender address or name, and %SESAME_ERROR_REFUSED for an
 * unencrypted connection to another machine; each message says what to
 * change.
 *
 * Returns: %TRUE if the settings may be saved and used
 */
gboolean
sesame_smtp_settings_validate (SesameSmtpSettings  *self,
                               GError             **error)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), FALSE);

  /* From a command line, any bytes: the messages below quote them. */
  if (!g_utf8_validate (self->host, -1, NULL) || !g_utf8_validate (self->user, -1, NULL) ||
      !g_utf8_validate (self->from_address, -1, NULL) || !g_utf8_validate (self->from_name, -1, NULL))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The mail server settings hold text that is not valid UTF-8: check the character set of the terminal."));
      return FALSE;
    }
  if (self->host[0] == '\0')
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("Give the name of the mail server (for example smtp.ac-grenoble.fr)."));
      return FALSE;
    }
  if (!host_is_valid (self->host))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("“%s” is not a server name: write it like smtp.example.org, without “smtp://” or a port."),
                   self->host);
      return FALSE;
    }
  if (self->port == 0 || self->port > 65535)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The port of the mail server must be a number between 1 and 65535 (usually 587 or 465)."));
      return FALSE;
    }
  if (self->security == SESAME_SMTP_SECURITY_NONE && !sesame_smtp_host_is_local (self->host))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("Mail to %s must be encrypted: choose STARTTLS or TLS. An unencrypted connection is only allowed to a server on this computer."),
                   self->host);
      return FALSE;
    }
  if (has_control_characters (self->user))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The user name of the mail server contains a line break or a control character."));
      return FALSE;
    }
  if (!sesame_mail_address_is_valid (self->from_address))
    {
      if (self->from_address[0] == '\0')
        g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                             _("Give the sender address, for example ce.0740017s@ac-grenoble.fr."));
      else
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                     _("“%s” is not a valid sender address."), self->from_address);
      return FALSE;
    }
  if (has_control_characters (self->from_name) || g_utf8_strlen (self->from_name, -1) > 100)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("The sender name must fit on one line of at most 100 characters."));
      return FALSE;
    }
  if (self->rate > SESAME_SMTP_MAX_RATE)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The sending rate must be at most %u messages per minute (0 for no limit)."),
                   SESAME_SMTP_MAX_RATE);
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_smtp_settings_save:
 * @self: a #SesameSmtpSettings
 * @store: a #SesameStore
 * @error: return location for a #GError
 *
 * Validates the settings and writes them to the store, for every desk;
 * administrators only. The audit trail records the change (the settings
 * hold no secret). It fails with %SESAME_ERROR_PERMISSION_DENIED when the
 * acting operator may not manage the store, with the errors of
 * sesame_smtp_settings_validate(), or with the store's own
 * (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED); nothing is written then.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_smtp_settings_save (SesameSmtpSettings  *self,
                           SesameStore         *store,
                           GError             **error)
{
  g_autofree char *port = NULL;
  g_autofree char *rate = NULL;

  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), FALSE);
  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  /* One mail server for every establishment of the store. */
  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_MANAGE_STORE, NULL, error))
    return FALSE;
  if (!sesame_smtp_settings_validate (self, error))
    return FALSE;

  port = g_strdup_printf ("%u", self->port);
  rate = g_strdup_printf ("%u", self->rate);

  if (!_sesame_store_begin (store, error))
    return FALSE;
  if (!sesame_store_settings_set (store, SESAME_SETTING_SMTP_HOST, self->host, error) ||
      !sesame_store_settings_set (store, SESAME_SETTING_SMTP_PORT, port, error) ||
      !sesame_store_settings_set (store, SESAME_SETTING_SMTP_SECURITY,
                                  sesame_smtp_security_to_token (self->security), error) ||
      !sesame_store_settings_set (store, SESAME_SETTING_SMTP_USER, self->user, error) ||
      !sesame_store_settings_set (store, SESAME_SETTING_SMTP_FROM_ADDRESS, self->from_address, error) ||
      !sesame_store_settings_set (store, SESAME_SETTING_SMTP_FROM_NAME, self->from_name, error) ||
      !sesame_store_settings_set (store, SESAME_SETTING_SMTP_RATE, rate, error))
    {
      _sesame_store_rollback (store);
      return FALSE;
    }
  return _sesame_store_commit (store, error);
}

/**
 * sesame_smtp_settings_is_configured:
 * @self: a #SesameSmtpSettings
 *
 * Tells whether mail can be sent at all; campaigns and the test message
 * refuse to start otherwise.
 *
 * Returns: whether a server and a sender address were chosen
 */
gboolean
sesame_smtp_settings_is_configured (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), FALSE);
  return self->host[0] != '\0' && self->from_address[0] != '\0';
}

/**
 * sesame_smtp_settings_dup_url:
 * @self: a #SesameSmtpSettings
 *
 * Writes the URL of the server for libcurl, with an IPv6 address in
 * brackets.
 *
 * Returns: (transfer full): the URL libcurl connects to: `smtps://` for
 *   implicit TLS, `smtp://` otherwise
 */
char *
sesame_smtp_settings_dup_url (SesameSmtpSettings *self)
{
  const char *scheme;
  gboolean bracket;

  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), NULL);

  scheme = self->security == SESAME_SMTP_SECURITY_TLS ? "smtps" : "smtp";
  bracket = strchr (self->host, ':') != NULL && self->host[0] != '[';
  return g_strdup_printf ("%s://%s%s%s:%u", scheme,
                          bracket ? "[" : "", self->host, bracket ? "]" : "", self->port);
}

/**
 * sesame_smtp_settings_get_host:
 * @self: a #SesameSmtpSettings
 *
 * Gives the server Sésame connects to.
 *
 * Returns: (transfer none): the mail server's host name or address, or ""
 */
const char *
sesame_smtp_settings_get_host (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), NULL);
  return self->host;
}

/**
 * sesame_smtp_settings_set_host:
 * @self: a #SesameSmtpSettings
 * @host: (nullable): the mail server's host name or address, or %NULL
 *   for none
 *
 * Sets the server to connect to, without its leading and trailing blanks;
 * #SesameSmtpSettings:host is notified when it changes. Nothing is saved
 * until sesame_smtp_settings_save().
 */
void
sesame_smtp_settings_set_host (SesameSmtpSettings *self,
                               const char         *host)
{
  g_autofree char *stripped = g_strstrip (g_strdup (host ? host : ""));

  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  if (g_strcmp0 (self->host, stripped) == 0)
    return;
  g_free (self->host);
  self->host = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

/**
 * sesame_smtp_settings_get_user:
 * @self: a #SesameSmtpSettings
 *
 * Gives the user name Sésame signs in with; its password is in the keyring
 * (sesame-secrets.h), never here.
 *
 * Returns: (transfer none): the user name on the mail server, or "" when
 *   the server needs no sign-in
 */
const char *
sesame_smtp_settings_get_user (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), NULL);
  return self->user;
}

/**
 * sesame_smtp_settings_set_user:
 * @self: a #SesameSmtpSettings
 * @user: (nullable): the user name on the mail server, or %NULL for none
 *
 * Sets the user name to sign in with, without its leading and trailing
 * blanks; #SesameSmtpSettings:user is notified when it changes. Nothing is
 * saved until sesame_smtp_settings_save().
 */
void
sesame_smtp_settings_set_user (SesameSmtpSettings *self,
                               const char         *user)
{
  g_autofree char *stripped = g_strstrip (g_strdup (user ? user : ""));

  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  if (g_strcmp0 (self->user, stripped) == 0)
    return;
  g_free (self->user);
  self->user = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/**
 * sesame_smtp_settings_get_from_address:
 * @self: a #SesameSmtpSettings
 *
 * Gives the sender address of every message: the address families answer.
 *
 * Returns: (transfer none): the address messages are sent from, or ""
 */
const char *
sesame_smtp_settings_get_from_address (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), NULL);
  return self->from_address;
}

/**
 * sesame_smtp_settings_set_from_address:
 * @self: a #SesameSmtpSettings
 * @address: (nullable): the address messages are sent from, or %NULL for
 *   none
 *
 * Sets the sender address, without its leading and trailing blanks;
 * #SesameSmtpSettings:from-address is notified when it changes. Nothing is
 * saved until sesame_smtp_settings_save().
 */
void
sesame_smtp_settings_set_from_address (SesameSmtpSettings *self,
                                       const char         *address)
{
  g_autofree char *stripped = g_strstrip (g_strdup (address ? address : ""));

  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  if (g_strcmp0 (self->from_address, stripped) == 0)
    return;
  g_free (self->from_address);
  self->from_address = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_ADDRESS]);
}

/**
 * sesame_smtp_settings_get_from_name:
 * @self: a #SesameSmtpSettings
 *
 * Gives the sender's name, usually the establishment's.
 *
 * Returns: (transfer none): the name shown beside the sender address, or ""
 *   for the address alone
 */
const char *
sesame_smtp_settings_get_from_name (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), NULL);
  return self->from_name;
}

/**
 * sesame_smtp_settings_set_from_name:
 * @self: a #SesameSmtpSettings
 * @name: (nullable): the name shown beside the sender address, or %NULL
 *   for none
 *
 * Sets the sender's name, without its leading and trailing blanks;
 * #SesameSmtpSettings:from-name is notified when it changes. Nothing is
 * saved until sesame_smtp_settings_save().
 */
void
sesame_smtp_settings_set_from_name (SesameSmtpSettings *self,
                                    const char         *name)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));

  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  if (g_strcmp0 (self->from_name, stripped) == 0)
    return;
  g_free (self->from_name);
  self->from_name = g_steal_pointer (&stripped);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_NAME]);
}

/**
 * sesame_smtp_settings_get_port:
 * @self: a #SesameSmtpSettings
 *
 * Gives the TCP port Sésame connects to.
 *
 * Returns: the server's TCP port
 */
guint
sesame_smtp_settings_get_port (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), 0);
  return self->port;
}

/**
 * sesame_smtp_settings_set_port:
 * @self: a #SesameSmtpSettings
 * @port: the server's TCP port
 *
 * Sets the port; #SesameSmtpSettings:port is notified when it changes.
 */
void
sesame_smtp_settings_set_port (SesameSmtpSettings *self,
                               guint               port)
{
  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  if (self->port == port)
    return;
  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

/**
 * sesame_smtp_settings_get_security:
 * @self: a #SesameSmtpSettings
 *
 * Gives how the connection to the server is protected.
 *
 * Returns: how the connection is protected (STARTTLS, TLS from the start,
 *   or none)
 */
SesameSmtpSecurity
sesame_smtp_settings_get_security (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), SESAME_SMTP_SECURITY_STARTTLS);
  return self->security;
}

/**
 * sesame_smtp_settings_set_security:
 * @self: a #SesameSmtpSettings
 * @security: how the connection is protected
 *
 * Sets the security; #SesameSmtpSettings:security is notified when it
 * changes.
 */
void
sesame_smtp_settings_set_security (SesameSmtpSettings *self,
                                   SesameSmtpSecurity  security)
{
  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  g_return_if_fail (security <= SESAME_SMTP_SECURITY_NONE);
  if (self->security == security)
    return;
  self->security = security;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY]);
}

/**
 * sesame_smtp_settings_get_rate:
 * @self: a #SesameSmtpSettings
 *
 * Gives the rate the sender keeps to, so that the server does not take the
 * campaign for spam.
 *
 * Returns: the most messages sent per minute, the server's limit
 */
guint
sesame_smtp_settings_get_rate (SesameSmtpSettings *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (self), 0);
  return self->rate;
}

/**
 * sesame_smtp_settings_set_rate:
 * @self: a #SesameSmtpSettings
 * @per_minute: the most messages to send per minute
 *
 * Sets the rate; #SesameSmtpSettings:rate is notified when it changes.
 */
void
sesame_smtp_settings_set_rate (SesameSmtpSettings *self,
                               guint               per_minute)
{
  g_return_if_fail (SESAME_IS_SMTP_SETTINGS (self));
  if (self->rate == per_minute)
    return;
  self->rate = per_minute;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}
