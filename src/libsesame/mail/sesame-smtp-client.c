/* sesame-smtp-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends messages with libcurl's SMTP support. One easy handle is kept for
 * the client's life, so that its connection (and TLS session) is reused for
 * every message of a campaign; libcurl reconnects by itself when the
 * server closed it in between. Curl's codes and the server's replies are
 * turned into errors a school office can act on.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-smtp"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "sesame-error.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-client.h"

/**
 * SesameSmtpClient:
 *
 * A connection to the mail server, kept open from one message to the next
 * and paced by a rate limit, that turns the server's replies into errors of
 * %SESAME_SMTP_ERROR. It blocks while it sends: one thread uses it at a
 * time.
 */
struct _SesameSmtpClient
{
  GObject                 parent_instance;

  SesameSmtpSettings     *settings;
  char                   *password;
  char                   *ca_file;
  char                   *url;

  CURL                   *curl;
  struct curl_slist      *recipients;
  char                    error_buffer[CURL_ERROR_SIZE];

  /* The message being uploaded. */
  const guint8           *data;
  gsize                   data_len;
  gsize                   data_pos;
  gboolean                data_sent;

  SesameSmtpDataSentFunc  data_sent_func;
  gpointer                data_sent_data;

  /* The server's latest complete reply, and the verb of the command it
   * answers: never the command's arguments, which may hold credentials. */
  GString                *reply_lines;
  char                   *last_reply;
  guint                   last_code;
  const char             *last_command;

  guint                   rate;
  gint64                  next_send_at;
  guint                   connections;
};

G_DEFINE_FINAL_TYPE (SesameSmtpClient, sesame_smtp_client, G_TYPE_OBJECT)

/**
 * sesame_smtp_error_quark:
 *
 * The error domain of the mail server's failures, with the codes of
 * #SesameSmtpError; sesame_smtp_error_is_temporary() and
 * sesame_smtp_error_is_about_message() sort them for a sender.
 *
 * Returns: the #GQuark of %SESAME_SMTP_ERROR
 */
G_DEFINE_QUARK (sesame-smtp-error-quark, sesame_smtp_error)

static void
ensure_curl (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialised, 1);
    }
}

/**
 * sesame_smtp_error_is_temporary:
 * @error: (nullable): an error from sesame_smtp_client_send()
 *
 * Tells a sender whether to keep the message for a later try rather than
 * record it as failed.
 *
 * Returns: whether trying again later may succeed: a 4xx reply, a lost
 *   connection or a timeout
 */
gboolean
sesame_smtp_error_is_temporary (const GError *error)
{
  return error != NULL && error->domain == SESAME_SMTP_ERROR &&
         (error->code == SESAME_SMTP_ERROR_TEMPORARY ||
          error->code == SESAME_SMTP_ERROR_CONNECTION_LOST ||
          error->code == SESAME_SMTP_ERROR_TIMEOUT);
}

/**
 * sesame_smtp_error_is_about_message:
 * @error: (nullable): an error from sesame_smtp_client_send()
 *
 * Tells a sender whether the failure concerns this message alone, so that
 * it may go on with the next one instead of stopping.
 *
 * Returns: whether the server answered about this message or recipient
 *   (4xx or 5xx), rather than about the connection, the sender or the
 *   account: the other messages may still go
 */
gboolean
sesame_smtp_error_is_about_message (const GError *error)
{
  return error != NULL && error->domain == SESAME_SMTP_ERROR &&
         (error->code == SESAME_SMTP_ERROR_TEMPORARY ||
          error->code == SESAME_SMTP_ERROR_PERMANENT);
}

static void
sesame_smtp_client_dispose (GObject *object)
{
  SesameSmtpClient *self = (SesameSmtpClient *) object;

  sesame_smtp_client_disconnect (self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sesame_smtp_client_parent_class)->dispose (object);
}

static void
sesame_smtp_client_finalize (GObject *object)
{
  SesameSmtpClient *self = (SesameSmtpClient *) object;

  if (self->password != NULL)
    {
      sodium_memzero (self->password, strlen (self->password));
      g_clear_pointer (&self->password, g_free);
    }
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->last_reply, g_free);
  g_string_free (self->reply_lines, TRUE);

  G_OBJECT_CLASS (sesame_smtp_client_parent_class)->finalize (object);
}

static void
sesame_smtp_client_class_init (SesameSmtpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sesame_smtp_client_dispose;
  object_class->finalize = sesame_smtp_client_finalize;
}

static void
sesame_smtp_client_init (SesameSmtpClient *self)
{
  self->reply_lines = g_string_new (NULL);
  self->last_reply = g_strdup ("");
  self->ca_file = g_strdup (g_getenv (SESAME_SMTP_CA_FILE_ENV));
  if (self->ca_file != NULL && self->ca_file[0] == '\0')
    g_clear_pointer (&self->ca_file, g_free);
}

/**
 * sesame_smtp_client_new:
 * @settings: the mail server's details
 * @password: (nullable): the password from the keyring, or %NULL when the
 *   server needs none
 *
 * Creates a client; it connects on the first send and keeps the
 * connection for the next ones. A client is used by one thread at a time.
 *
 * Returns: (transfer full): a new #SesameSmtpClient
 */
SesameSmtpClient *
sesame_smtp_client_new (SesameSmtpSettings *settings,
                        const char         *password)
{
  SesameSmtpClient *self;

  g_return_val_if_fail (SESAME_IS_SMTP_SETTINGS (settings), NULL);

  self = g_object_new (SESAME_TYPE_SMTP_CLIENT, NULL);
  self->settings = g_object_ref (settings);
  self->password = g_strdup (password);
  self->rate = sesame_smtp_settings_get_rate (settings);
  self->url = sesame_smtp_settings_dup_url (settings);
  return self;
}

/**
 * sesame_smtp_client_get_settings:
 * @self: a #SesameSmtpClient
 *
 * Gives the settings the client was made with; the client reads them at
 * each connection, so changing them affects the next connection only.
 *
 * Returns: (transfer none): the client's #SesameSmtpSettings
 */
SesameSmtpSettings *
sesame_smtp_client_get_settings (SesameSmtpClient *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), NULL);
  return self->settings;
}

/**
 * sesame_smtp_client_set_rate:
 * @self: a #SesameSmtpClient
 * @per_minute: at most this many messages per minute, 0 for no limit
 *
 * Spaces the sends evenly: a new message starts at least 60 / @per_minute
 * seconds after the previous one ended, so no minute ever holds more than
 * @per_minute, as the server counts them.
 */
void
sesame_smtp_client_set_rate (SesameSmtpClient *self,
                             guint             per_minute)
{
  g_return_if_fail (SESAME_IS_SMTP_CLIENT (self));
  self->rate = per_minute;
}

/**
 * sesame_smtp_client_set_ca_file:
 * @self: a #SesameSmtpClient
 * @path: (nullable): a PEM file of the authority that signed the server's
 *   certificate, or %NULL for the system's authorities
 *
 * For a server with a private certificate. The environment variable
 * `SESAME_SMTP_CA_FILE` sets it too.
 */
void
sesame_smtp_client_set_ca_file (SesameSmtpClient *self,
                                const char       *path)
{
  g_return_if_fail (SESAME_IS_SMTP_CLIENT (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
  sesame_smtp_client_disconnect (self);
}

/**
 * sesame_smtp_client_set_data_sent_func:
 * @self: a #SesameSmtpClient
 * @func: (nullable) (scope forever): called when a message has been handed
 *   over, or %NULL for none; kept until replaced
 * @user_data: (closure): data for @func
 *
 * Lets a sender record that a message may be delivered before the server
 * confirms it, so that a crash or a lost connection at that point never
 * leads to sending it twice. @func runs in the thread that sends, inside
 * sesame_smtp_client_send(); it replaces the previous one.
 */
void
sesame_smtp_client_set_data_sent_func (SesameSmtpClient       *self,
                                       SesameSmtpDataSentFunc  func,
                                       gpointer                user_data)
{
  g_return_if_fail (SESAME_IS_SMTP_CLIENT (self));
  self->data_sent_func = func;
  self->data_sent_data = user_data;
}

static size_t
read_message (char   *buffer,
              size_t  size,
              size_t  nitems,
              void   *user_data)
{
  SesameSmtpClient *self = user_data;
  gsize n = MIN (size * nitems, self->data_len - self->data_pos);

  if (n == 0)
    {
      /* Returning 0 makes libcurl send the end of data: past this point the
       * server may deliver the message. */
      if (!self->data_sent)
        {
          if (self->data_sent_func != NULL && !self->data_sent_func (self->data_sent_data))
            return CURL_READFUNC_ABORT;
          self->data_sent = TRUE;
        }
      return 0;
    }
  memcpy (buffer, self->data + self->data_pos, n);
  self->data_pos += n;
  return n;
}

static const char * const known_commands[] = {
  "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "QUIT", "NOOP",
};

/* What a server says ends up in an error message, the window, the store
 * and JSON: valid UTF-8 on one line, whatever bytes it sent. */
static char *
reply_to_text (char *reply)
{
  char *text = g_utf8_make_valid (reply, -1);

  g_free (reply);
  for (char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  return text;
}

static void
note_reply_line (SesameSmtpClient *self,
                 const char       *line,
                 gsize             len)
{
  while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
    len--;
  if (len < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]))
    return;

  if (len > 3 && line[3] == '-')
    {
      if (self->reply_lines->len > 0)
        g_string_append_c (self->reply_lines, ' ');
      g_string_append_len (self->reply_lines, line + 4, len - 4);
      return;
    }

  /* The first refusal is the answer that matters: libcurl then says
   * goodbye (QUIT, "221 Bye") before it returns. */
  if (self->last_code >= 400)
    {
      g_string_truncate (self->reply_lines, 0);
      return;
    }

  /* The last line of a reply: "250 text", possibly after "250-…" lines. */
  g_free (self->last_reply);
  if (self->reply_lines->len > 0)
    {
      g_autoptr(GString) full = g_string_new_len (line, 3);

      g_string_append_c (full, ' ');
      g_string_append (full, self->reply_lines->str);
      if (len > 4)
        {
          g_string_append_c (full, ' ');
          g_string_append_len (full, line + 4, len - 4);
        }
      self->last_reply = reply_to_text (g_string_free (g_steal_pointer (&full), FALSE));
    }
  else
    self->last_reply = reply_to_text (g_strndup (line, len));
  g_string_truncate (self->reply_lines, 0);
  self->last_code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');

  /* The capabilities listed after EHLO are no answer anyone needs. */
  if (g_strcmp0 (self->last_command, "EHLO") == 0 && self->last_code == 250)
    {
      g_free (self->last_reply);
      self->last_reply = g_strdup ("250");
    }
}

static int
on_debug (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  SesameSmtpClient *self = user_data;

  if (type == CURLINFO_HEADER_IN)
    {
      const char *line = data;
      const char *end = data + size;

      while (line < end)
        {
          const char *eol = memchr (line, '\n', end - line);
          gsize len = (eol ? eol + 1 : end) - line;

          note_reply_line (self, line, len);
          line += len;
        }
    }
  else if (type == CURLINFO_HEADER_OUT)
    {
      /* Only the verb is kept: AUTH lines carry credentials. */
      for (guint i = 0; i < G_N_ELEMENTS (known_commands); i++)
        {
          gsize n = strlen (known_commands[i]);

          if (size >= n && g_ascii_strncasecmp (data, known_commands[i], n) == 0 &&
              (size == n || data[n] == ' ' || data[n] == '\r' || data[n] == '\n'))
            {
              self->last_command = known_commands[i];
              break;
            }
        }
    }
  return 0;
}

static gboolean
ensure_handle (SesameSmtpClient  *self,
               GError           **error)
{
  const char *user = sesame_smtp_settings_get_user (self->settings);
  g_autofree char *from = NULL;
  SesameSmtpSecurity security = sesame_smtp_settings_get_security (self->settings);

  if (self->curl != NULL)
    return TRUE;

  if (!sesame_smtp_settings_is_configured (self->settings))
    {
      g_set_error_literal (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_NOT_CONFIGURED,
                           _("No mail server is set up: fill in the mail part of the Preferences first."));
      return FALSE;
    }
  /* Checked again here: the settings may come from an older store. */
  if (security == SESAME_SMTP_SECURITY_NONE &&
      !sesame_smtp_host_is_local (sesame_smtp_settings_get_host (self->settings)))
    {
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TLS,
                   _("Mail to %s must be encrypted: choose STARTTLS or TLS in the Preferences."),
                   sesame_smtp_settings_get_host (self->settings));
      return FALSE;
    }

  ensure_curl ();
  self->curl = curl_easy_init ();
  if (self->curl == NULL)
    {
      g_set_error_literal (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_FAILED,
                           _("The mail library could not start."));
      return FALSE;
    }

  from = g_strdup_printf ("<%s>", sesame_smtp_settings_get_from_address (self->settings));
  g_debug ("Sending through %s as “%s”", self->url, user ? user : "");

  curl_easy_setopt (self->curl, CURLOPT_URL, self->url);
  curl_easy_setopt (self->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (self->curl, CURLOPT_USE_SSL,
                    security == SESAME_SMTP_SECURITY_NONE ? (long) CURLUSESSL_NONE : (long) CURLUSESSL_ALL);
  if (self->ca_file != NULL)
    curl_easy_setopt (self->curl, CURLOPT_CAINFO, self->ca_file);
  if (user != NULL && user[0] != '\0')
    {
      curl_easy_setopt (self->curl, CURLOPT_USERNAME, user);
      curl_easy_setopt (self->curl, CURLOPT_PASSWORD, self->password ? self->password : "");
    }
  curl_easy_setopt (self->curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (self->curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (self->curl, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt (self->curl, CURLOPT_READDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt (self->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, 120L);
  curl_easy_setopt (self->curl, CURLOPT_TIMEOUT, 300L);
  curl_easy_setopt (self->curl, CURLOPT_TCP_KEEPALIVE, 1L);
  /* A slow campaign (a low rate) still reuses its connection when the
   * server keeps it open. */
  curl_easy_setopt (self->curl, CURLOPT_MAXAGE_CONN, 600L);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, self->error_buffer);
  /* The debug callback sees the server's replies; it keeps nothing of what
   * is sent but the command's verb. Nothing is printed. */
  curl_easy_setopt (self->curl, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGDATA, self);
  curl_easy_setopt (self->curl, CURLOPT_VERBOSE, 1L);

  return TRUE;
}

/**
 * sesame_smtp_client_disconnect:
 * @self: a #SesameSmtpClient
 *
 * Says goodbye to the server (QUIT) and closes the connection. The next
 * send connects again.
 */
void
sesame_smtp_client_disconnect (SesameSmtpClient *self)
{
  g_return_if_fail (SESAME_IS_SMTP_CLIENT (self));

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->recipients, curl_slist_free_all);
}

static gboolean
wait_until (gint64        deadline,
            GCancellable *cancellable)
{
  GPollFD pollfd;
  gboolean has_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd);
  gint64 now;

  while ((now = g_get_monotonic_time ()) < deadline && !g_cancellable_is_cancelled (cancellable))
    {
      gint64 ms = (deadline - now + 999) / 1000;

      if (has_fd)
        g_poll (&pollfd, 1, (int) MIN (ms, 1000));
      else
        g_usleep (MIN (deadline - now, G_USEC_PER_SEC));
    }
  if (has_fd)
    g_cancellable_release_fd (cancellable);
  return !g_cancellable_is_cancelled (cancellable);
}

static char *
dup_reply_or_curl_text (SesameSmtpClient *self,
                        CURLcode          code)
{
  if (self->last_code >= 400 && self->last_reply[0] != '\0')
    return g_strdup (self->last_reply);
  if (self->error_buffer[0] != '\0')
    return g_strdup (self->error_buffer);
  return g_strdup (curl_easy_strerror (code));
}

static void
set_send_error (SesameSmtpClient  *self,
                const char        *recipient,
                CURLcode           code,
                GError           **error)
{
  const char *host = sesame_smtp_settings_get_host (self->settings);
  guint port = sesame_smtp_settings_get_port (self->settings);
  g_autofree char *detail = dup_reply_or_curl_text (self, code);
  long response = 0;

  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &response);
  /* libcurl reads more than three digits from a reply like "4422 …": an
   * SMTP code has three. */
  if (response >= 400 && response < 600 && response > (long) self->last_code)
    self->last_code = response;

  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_HOST_NOT_FOUND,
                   _("The mail server “%s” cannot be found: check its name in the Preferences, and that this computer is connected to the network."),
                   host);
      return;
    case CURLE_COULDNT_CONNECT:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_REFUSED,
                   _("The mail server %s does not answer on port %u (connection refused): check the port in the Preferences, or ask whoever runs the server whether it is working."),
                   host, port);
      return;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TLS,
                   _("The secure connection to the mail server %s failed (%s). Check the security setting in the Preferences (STARTTLS usually on port 587, TLS on port 465), or ask whoever runs the server about its certificate."),
                   host, detail);
      return;
    case CURLE_LOGIN_DENIED:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_AUTHENTICATION,
                   _("The mail server refused the user name or the password (%s). Check them in the Preferences."),
                   detail);
      return;
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_FAILED,
                   _("The message to %s was abandoned before its end: its sending could not be recorded."),
                   recipient);
      return;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TIMEOUT,
                   _("The mail server %s stopped answering (%s)."), host, detail);
      return;
    default:
      break;
    }

  if (self->last_code >= 400 && self->last_code < 600)
    {
      gboolean permanent = self->last_code >= 500;

      if (g_strcmp0 (self->last_command, "AUTH") == 0)
        g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_AUTHENTICATION,
                     _("The mail server refused the user name or the password (%s). Check them in the Preferences."),
                     detail);
      else if (self->last_code == 421)
        g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_LOST,
                     _("The mail server %s closed the connection (%s)."), host, detail);
      else if (g_strcmp0 (self->last_command, "MAIL") == 0 && permanent)
        g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_SENDER_REFUSED,
                     _("The mail server refused the sender address %s (%s). Check the sender address in the Preferences: it must be one the server lets you send from."),
                     sesame_smtp_settings_get_from_address (self->settings), detail);
      else if (permanent)
        g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_PERMANENT,
                     _("The mail server refused the message to %s: %s"), recipient, detail);
      else
        g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TEMPORARY,
                     _("The mail server asked to try again later for %s: %s"), recipient, detail);
      return;
    }

  switch (code)
    {
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_PARTIAL_FILE:
    case CURLE_UPLOAD_FAILED:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_LOST,
                   _("The connection to the mail server %s was lost while sending (%s)."), host, detail);
      return;
    default:
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_FAILED,
                   _("Sending through the mail server %s failed: %s"), host, detail);
      return;
    }
}

/**
 * sesame_smtp_client_send:
 * @self: a #SesameSmtpClient
 * @recipient: the envelope recipient
 * @message: the message, as sesame_mail_message_to_bytes() writes it
 * @cancellable: (nullable): stops the wait of the rate limit; a message
 *   already on its way is let finish so that its fate is known
 * @error: return location for a #GError
 *
 * Sends one message on the client's connection, opening it if needed, and
 * first waits as long as the rate limit asks. It blocks on the network for
 * as long as the server takes (libcurl's time-outs apply): call it in a
 * worker thread, the one thread that uses @self meanwhile.
 *
 * Returns: %TRUE if the server accepted the message; otherwise @error is
 *   in %SESAME_SMTP_ERROR (or %G_IO_ERROR_CANCELLED)
 */
gboolean
sesame_smtp_client_send (SesameSmtpClient  *self,
                         const char        *recipient,
                         GBytes            *message,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *rcpt = NULL;
  CURLcode code;
  long connects = 0;

  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  self->data_sent = FALSE;
  self->last_code = 0;
  self->last_command = NULL;
  g_free (self->last_reply);
  self->last_reply = g_strdup ("");
  g_string_truncate (self->reply_lines, 0);
  self->error_buffer[0] = '\0';

  if (!sesame_mail_address_is_valid (recipient))
    {
      g_set_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_PERMANENT,
                   _("“%s” is not a valid email address."), recipient ? recipient : "");
      return FALSE;
    }
  if (!ensure_handle (self, error))
    return FALSE;

  if (self->rate > 0 && !wait_until (self->next_send_at, cancellable))
    return !g_cancellable_set_error_if_cancelled (cancellable, error);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  rcpt = g_strdup_printf ("<%s>", recipient);
  g_clear_pointer (&self->recipients, curl_slist_free_all);
  self->recipients = curl_slist_append (NULL, rcpt);
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, self->recipients);

  self->data = g_bytes_get_data (message, &self->data_len);
  self->data_pos = 0;

  code = curl_easy_perform (self->curl);
  if (curl_easy_getinfo (self->curl, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0)
    self->connections += connects;

  /* A kept connection the server closed in between (after a TLS
   * close_notify the socket still looks alive) fails before anything was
   * accepted: connect again, once. */
  if (connects == 0 && !self->data_sent && self->last_code < 400 &&
      (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING))
    {
      g_debug ("The kept connection to %s was closed: connecting again", self->url);
      curl_easy_setopt (self->curl, CURLOPT_FRESH_CONNECT, 1L);
      self->data_pos = 0;
      self->last_command = NULL;
      self->error_buffer[0] = '\0';
      code = curl_easy_perform (self->curl);
      curl_easy_setopt (self->curl, CURLOPT_FRESH_CONNECT, 0L);
      connects = 0;
      if (curl_easy_getinfo (self->curl, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0)
        self->connections += connects;
    }
  self->data = NULL;

  /* Spaced from the end of this send: the server may take the message at
   * any moment until then, and counting from the start could let a slow
   * transfer and a quick one land closer than the limit allows. This way
   * any N + 1 consecutive messages span more than a minute at the server. */
  if (self->rate > 0)
    self->next_send_at = g_get_monotonic_time () + (60 * G_USEC_PER_SEC) / self->rate;

  if (code == CURLE_OK)
    return TRUE;

  set_send_error (self, recipient, code, &local_error);
  /* After a failure of the connection itself, start afresh. */
  if (!sesame_smtp_error_is_about_message (local_error))
    sesame_smtp_client_disconnect (self);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static const char *
first_recipient (GMimeMessage *message)
{
  InternetAddressList *to = g_mime_message_get_to (message);
  InternetAddress *address;

  if (to == NULL || internet_address_list_length (to) < 1)
    return NULL;
  address = internet_address_list_get_address (to, 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX (address))
    return NULL;
  return internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
}

/**
 * sesame_smtp_client_send_message:
 * @self: a #SesameSmtpClient
 * @message: a message with one To address
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @message to its To address; it blocks like sesame_smtp_client_send()
 * and sets the same errors.
 *
 * Returns: %TRUE if the server accepted the message
 */
gboolean
sesame_smtp_client_send_message (SesameSmtpClient  *self,
                                 GMimeMessage      *message,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);

  bytes = sesame_mail_message_to_bytes (message);
  return sesame_smtp_client_send (self, first_recipient (message), bytes, cancellable, error);
}

static void
send_message_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SesameSmtpClient *self = source_object;
  GError *error = NULL;

  if (!sesame_smtp_client_send_message (self, task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sesame_smtp_client_send_message_async:
 * @self: a #SesameSmtpClient
 * @message: a message with one To address
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called in the thread-default main context when
 *   the server answered
 * @user_data: (closure): data for @callback
 *
 * Sends @message in a worker thread, e.g. the test message of the
 * Preferences; get the outcome with sesame_smtp_client_send_message_finish().
 * Do not use @self elsewhere until @callback runs.
 */
void
sesame_smtp_client_send_message_async (SesameSmtpClient    *self,
                                       GMimeMessage        *message,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SESAME_IS_SMTP_CLIENT (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sesame_smtp_client_send_message_async);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  g_task_run_in_thread (task, send_message_thread);
}

/**
 * sesame_smtp_client_send_message_finish:
 * @self: a #SesameSmtpClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Finishes sesame_smtp_client_send_message_async(), with the errors of
 * sesame_smtp_client_send().
 *
 * Returns: %TRUE if the server accepted the message
 */
gboolean
sesame_smtp_client_send_message_finish (SesameSmtpClient  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sesame_smtp_client_get_last_reply:
 * @self: a #SesameSmtpClient
 *
 * Gives what the server last said during the latest send, for the send
 * report and the error shown; it never holds the commands' arguments, so no
 * credential leaks into it.
 *
 * Returns: the server's last reply during the latest send, e.g.
 *   `250 2.0.0 Ok: queued as 4F1D2` or `550 5.1.1 Mailbox unavailable`;
 *   empty if the server said nothing
 */
const char *
sesame_smtp_client_get_last_reply (SesameSmtpClient *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), NULL);
  return self->last_reply;
}

/**
 * sesame_smtp_client_get_last_code:
 * @self: a #SesameSmtpClient
 *
 * Gives the code of the server's last reply during the latest send, which
 * the send report records beside sesame_smtp_client_get_last_reply().
 *
 * Returns: the three-digit SMTP code (250, 450, 550…), or 0 if the server
 *   said nothing
 */
guint
sesame_smtp_client_get_last_code (SesameSmtpClient *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), 0);
  return self->last_code;
}

/**
 * sesame_smtp_client_get_data_sent:
 * @self: a #SesameSmtpClient
 *
 * Tells whether the latest message reached the point where the server may
 * deliver it.
 *
 * Returns: whether the latest send handed the whole message over: if it
 *   then failed without an answer, the server may still deliver it
 */
gboolean
sesame_smtp_client_get_data_sent (SesameSmtpClient *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), FALSE);
  return self->data_sent;
}

/**
 * sesame_smtp_client_get_connections:
 * @self: a #SesameSmtpClient
 *
 * Counts the connections the client opened, so that tests and the send
 * report can tell that one connection served many messages.
 *
 * Returns: how many connections the client opened so far
 */
guint
sesame_smtp_client_get_connections (SesameSmtpClient *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), 0);
  return self->connections;
}

/**
 * sesame_smtp_client_get_next_send_time:
 * @self: a #SesameSmtpClient
 *
 * Tells when the rate limit lets the next message go, so that a progress
 * display can show the wait.
 *
 * Returns: the monotonic time (g_get_monotonic_time()) before which the
 *   rate limit holds the next message back, or 0
 */
gint64
sesame_smtp_client_get_next_send_time (SesameSmtpClient *self)
{
  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), 0);
  return self->rate > 0 ? self->next_send_at : 0;
}

/**
 * sesame_smtp_client_new_test_message:
 * @self: a #SesameSmtpClient
 * @to: where to send the test message
 * @error: return location for a #GError
 *
 * Writes the message of "Send a test message" in the preferences: it names
 * the server, port and security it was sent with, from the client's
 * settings. Fails with %SESAME_ERROR_INVALID when @to or the sender's
 * address is not a valid address.
 *
 * Returns: (transfer full): the message, or %NULL with @error set
 */
GMimeMessage *
sesame_smtp_client_new_test_message (SesameSmtpClient  *self,
                                     const char        *to,
                                     GError           **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (SESAME_IS_SMTP_CLIENT (self), NULL);

  /* TRANSLATORS: the last %s is the security in words: "STARTTLS", "TLS" or "none" */
  text = g_strdup_printf (_("This message was sent by Sésame to check its mail settings: server %s, port %u, security: %s.\n\n"
                            "If you can read it, Sésame can send identifiers by email.\n"),
                          sesame_smtp_settings_get_host (self->settings),
                          sesame_smtp_settings_get_port (self->settings),
                          sesame_smtp_security_to_label (sesame_smtp_settings_get_security (self->settings)));
  return sesame_mail_message_new (sesame_smtp_settings_get_from_name (self->settings),
                                  sesame_smtp_settings_get_from_address (self->settings),
                                  NULL, to, _("Sésame test message"), text,
                                  SESAME_MAIL_FLAGS_NONE, NULL, error);
}
