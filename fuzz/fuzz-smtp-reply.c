/* fuzz-smtp-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for what a mail server answers (sesame-smtp-client.c over
 * libcurl): the input is everything a server on this computer says, from
 * its greeting on; a thread plays it to the client in one go and then
 * closes its side, so a run does not depend on timing. Whatever the
 * server says, the client must return, with an error in its domain whose
 * message is valid UTF-8 (it is shown in the window, written to the store
 * and printed as JSON), and the last reply it keeps must be valid UTF-8
 * on one line, without control characters.
 */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-settings.h"

static int listen_fd = -1;
static guint16 port;
static GBytes *message;

typedef struct
{
  const guint8 *data;
  gsize         size;
} Script;

static gpointer
serve (gpointer user_data)
{
  Script *script = user_data;
  char buffer[4096];
  gsize sent = 0;
  int fd;

  do
    fd = accept (listen_fd, NULL, NULL);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    g_error ("accept: %s", g_strerror (errno));

  while (sent < script->size)
    {
      gssize n = send (fd, script->data + sent, script->size - sent, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      sent += n;
    }
  shutdown (fd, SHUT_WR);
  /* Read what the client says until it hangs up. */
  while (recv (fd, buffer, sizeof buffer, 0) > 0 || errno == EINTR)
    ;
  close (fd);
  return NULL;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  struct sockaddr_in address = { 0 };
  socklen_t len = sizeof address;
  g_autoptr(GMimeMessage) mime = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  sesame_mail_init ();

  listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (listen_fd < 0 ||
      bind (listen_fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (listen_fd, 4) != 0 ||
      getsockname (listen_fd, (struct sockaddr *) &address, &len) != 0)
    g_error ("cannot listen on the loopback interface: %s", g_strerror (errno));
  port = ntohs (address.sin_port);

  mime = sesame_mail_message_new ("Collège Les Aravis", "secretariat@example.org",
                                  "Marie DUPONT", "marie.dupont@example.org",
                                  "Vos identifiants ENT", "Bonjour,\n\n.\nUne ligne d'un seul point.\n",
                                  SESAME_MAIL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  message = sesame_mail_message_to_bytes (mime);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  Script script = { data, size };
  GThread *server;
  gboolean sent;
  const char *reply;

  sesame_smtp_settings_set_host (settings, "127.0.0.1");
  sesame_smtp_settings_set_port (settings, port);
  sesame_smtp_settings_set_security (settings, SESAME_SMTP_SECURITY_NONE);
  sesame_smtp_settings_set_from_address (settings, "secretariat@example.org");
  /* A user name makes the client log in when the server offers AUTH. */
  if (size > 0 && (data[0] & 1))
    sesame_smtp_settings_set_user (settings, "secretariat");
  client = sesame_smtp_client_new (settings, "mot-de-passe");
  sesame_smtp_client_set_rate (client, 0);

  server = g_thread_new ("smtp-server", serve, &script);
  sent = sesame_smtp_client_send (client, "marie.dupont@example.org", message, NULL, &error);
  if (!sent)
    {
      g_assert (error != NULL);
      g_assert (error->domain == SESAME_SMTP_ERROR);
      if (!g_utf8_validate (error->message, -1, NULL))
        g_error ("the error for a server's reply is not valid UTF-8: %s", error->message);
      (void) sesame_smtp_error_is_temporary (error);
      (void) sesame_smtp_error_is_about_message (error);
    }
  else
    g_assert (error == NULL);

  reply = sesame_smtp_client_get_last_reply (client);
  g_assert (reply != NULL);
  if (!g_utf8_validate (reply, -1, NULL))
    g_error ("the last reply kept is not valid UTF-8: %s", reply);
  /* Printed on a terminal and in one line of a report: no control
   * character (an escape sequence, a line break) from the server. */
  for (const char *p = reply; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      g_error ("the last reply kept holds the control character 0x%02x: %s", (guchar) *p, reply);
  g_assert_cmpuint (sesame_smtp_client_get_last_code (client), <, 1000);

  sesame_smtp_client_disconnect (client);
  g_clear_object (&client);
  g_thread_join (server);
  return 0;
}
