/* test-smtp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mail composition, the SMTP settings and the SMTP client, against a real
 * server on localhost (tests/smtp-server.py).
 */
#include "config.h"

#include <string.h>

#include "sesame-error.h"
#include "sesame-store-private.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-settings.h"
#include "sesame-store.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

static void
test_mail_address (void)
{
  g_assert_true (sesame_mail_address_is_valid ("marie.dupont@example.org"));
  g_assert_true (sesame_mail_address_is_valid ("o'neil+ent@sub.example.fr"));
  g_assert_false (sesame_mail_address_is_valid (NULL));
  g_assert_false (sesame_mail_address_is_valid (""));
  g_assert_false (sesame_mail_address_is_valid ("marie.dupont"));
  g_assert_false (sesame_mail_address_is_valid ("marie@localhost"));
  g_assert_false (sesame_mail_address_is_valid ("a@b@example.org"));
  g_assert_false (sesame_mail_address_is_valid ("marie dupont@example.org"));
  g_assert_false (sesame_mail_address_is_valid ("marie@example.org\r\nRCPT TO:<x@y.org>"));
  g_assert_false (sesame_mail_address_is_valid ("<marie@example.org>"));
  g_assert_false (sesame_mail_address_is_valid (".marie@example.org"));
  g_assert_false (sesame_mail_address_is_valid ("marie..d@example.org"));
  g_assert_false (sesame_mail_address_is_valid ("marie@-example.org"));
  g_assert_false (sesame_mail_address_is_valid ("éloïse@example.org"));
}

static void
test_mail_subject (void)
{
  g_autofree char *long_subject = g_strnfill (76, 'e');
  g_autoptr(GString) accents = g_string_new (NULL);
  const char *refused[] = {
    "", "   ", "Vos identifiants\nBcc: victim@example.org", "Vos identifiants\r",
    "Vos\tidentifiants", "Vos identifiants\xe2\x80\xa8", "Vos identifiants\xc2\x85",
    "Vos identifiants\x7f", "\xff\xfe",
  };

  for (guint i = 0; i < 75; i++)
    g_string_append (accents, "é");
  g_assert_true (sesame_mail_check_subject (accents->str, NULL));
  g_assert_true (sesame_mail_check_subject ("Collège Les Aravis - vos identifiants de connexion", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sesame_mail_check_subject (refused[i], &error));
      g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
    }

  {
    g_autoptr(GError) error = NULL;
    g_assert_false (sesame_mail_check_subject (long_subject, &error));
    g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "76"));
  }
}

static void
test_mail_free_text (void)
{
  g_autofree char *text_600 = g_strnfill (600, 'a');
  g_autofree char *text_601 = g_strnfill (601, 'a');
  g_autoptr(GError) error = NULL;

  g_assert_true (sesame_mail_check_free_text (NULL, NULL));
  g_assert_true (sesame_mail_check_free_text ("", NULL));
  g_assert_true (sesame_mail_check_free_text (text_600, NULL));
  g_assert_true (sesame_mail_check_free_text ("Réunion\r\nle 12 septembre.\n", NULL));
  g_assert_false (sesame_mail_check_free_text (text_601, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sesame_mail_check_free_text ("bell\x07", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
}

static void
test_mail_compose_text (void)
{
  SesameDiffusionText text = {
    .display_name = "Éloïse DUPONT",
    .ent_name = "Mon collège connecté",
    .login = "eloise.dupont",
    .link = "https://ent.example.org/auth?activation=abc&x=<1>",
    .free_text = "  Réunion d'information\r\nle 12 septembre.  ",
    .establishment_name = "Collège Les Aravis",
    .ent_url = "https://ent.example.org/auth",
  };
  g_autofree char *body = sesame_mail_compose_diffusion_text (&text);
  g_autofree char *html = sesame_mail_compose_diffusion_html (&text);

  g_assert_true (g_str_has_prefix (body, "Hello Éloïse DUPONT,\n\n"));
  g_assert_nonnull (strstr (body, "your ENT Mon collège connecté:"));
  g_assert_nonnull (strstr (body, "\nENT login: eloise.dupont\n"));
  /* The plain text keeps the address, then says where it leads. */
  g_assert_nonnull (strstr (body, "60 days to set your password:\nhttps://ent.example.org/auth?activation=abc&x=<1>\n"
                                  "(this link takes you to the page of your ENT where you will choose your password)\n\n"));
  g_assert_nonnull (strstr (body, "\nRéunion d'information\nle 12 septembre.\n"));
  g_assert_nonnull (strstr (body, "contact your administrator at your establishment."));
  /* Signed with the establishment's name and its ENT address. */
  g_assert_true (g_str_has_suffix (body, "Kind regards,\n\nCollège Les Aravis\nhttps://ent.example.org/auth\n"));
  g_assert_null (strstr (body, "\r"));

  /* In HTML the link is on the words, the token is not shown as text. */
  g_assert_nonnull (strstr (html, "60 days to <a href=\"https://ent.example.org/auth?activation=abc&amp;x=&lt;1&gt;\">set your password</a>"
                                  " (this link takes you to the page of your ENT where you will choose your password)</p>"));
  g_assert_null (strstr (html, ">https://ent.example.org/auth?activation"));
  g_assert_nonnull (strstr (html, "Réunion d&apos;information<br>"));
  g_assert_nonnull (strstr (html, "<p>Collège Les Aravis<br>\n<a href=\"https://ent.example.org/auth\">https://ent.example.org/auth</a></p>"));
}

static GMimeMessage *
reparse (GBytes *bytes)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  stream = g_mime_stream_mem_new_with_buffer (data, len);
  parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_message (parser, NULL);
}

static void
test_mail_message (void)
{
  const char *subject = "Collège Les Aravis - vos identifiants de connexion";
  const char *text = "Bonjour Éloïse,\n\nIdentifiant ENT : eloise.dupont\n";
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *body = NULL;
  InternetAddressList *list;
  InternetAddress *address;
  GMimeObject *part;
  const char *data;
  gsize len;

  message = sesame_mail_message_new ("Collège Les Aravis", "ce.0740017s@ac-grenoble.example.org",
                                     "Éloïse DUPONT", "eloise@example.org",
                                     subject, text, SESAME_MAIL_FLAGS_HTML, NULL, &error);
  g_assert_no_error (error);
  bytes = sesame_mail_message_to_bytes (message);
  data = g_bytes_get_data (bytes, &len);
  raw = g_strndup (data, len);

  /* 7-bit on the wire, CRLF line ends, the subject encoded. */
  for (gsize i = 0; i < len; i++)
    {
      g_assert_cmpint ((guchar) raw[i], <, 0x80);
      if (raw[i] == '\n')
        g_assert_cmpint (raw[i - 1], ==, '\r');
    }
  g_assert_nonnull (strstr (raw, "Subject: =?"));
  g_assert_nonnull (strstr (raw, "Auto-Submitted: auto-generated\r\n"));

  parsed = reparse (bytes);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (g_mime_message_get_subject (parsed), ==, subject);
  list = g_mime_message_get_from (parsed);
  g_assert_cmpint (internet_address_list_length (list), ==, 1);
  address = internet_address_list_get_address (list, 0);
  g_assert_cmpstr (internet_address_get_name (address), ==, "Collège Les Aravis");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)), ==,
                   "ce.0740017s@ac-grenoble.example.org");
  list = g_mime_message_get_to (parsed);
  address = internet_address_list_get_address (list, 0);
  g_assert_cmpstr (internet_address_get_name (address), ==, "Éloïse DUPONT");
  g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)), ==, "eloise@example.org");
  g_assert_nonnull (g_mime_message_get_date (parsed));
  g_assert_nonnull (g_mime_message_get_message_id (parsed));
  g_assert_nonnull (strstr (g_mime_message_get_message_id (parsed), "@ac-grenoble.example.org"));
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (parsed), "Auto-Submitted"), ==, "auto-generated");

  part = g_mime_message_get_mime_part (parsed);
  g_assert_true (GMIME_IS_MULTIPART (part));
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (part)), ==, "alternative");
  part = g_mime_multipart_get_part (GMIME_MULTIPART (part), 0);
  g_assert_true (GMIME_IS_TEXT_PART (part));
  g_assert_cmpstr (g_mime_object_get_content_type_parameter (part, "charset"), ==, "utf-8");
  body = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
  g_assert_cmpstr (body, ==, "Bonjour Éloïse,\r\n\r\nIdentifiant ENT : eloise.dupont\r\n");
}

static void
test_mail_message_refuses_headers (void)
{
  g_autoptr(GError) error = NULL;
  GMimeMessage *message;

  message = sesame_mail_message_new (NULL, "ce@example.org", NULL, "a@example.org",
                                     "Hello\nBcc: victim@example.org", "text",
                                     SESAME_MAIL_FLAGS_NONE, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  message = sesame_mail_message_new ("Evil\r\nBcc: victim@example.org", "ce@example.org", NULL, "a@example.org",
                                     "Hello", "text", SESAME_MAIL_FLAGS_NONE, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  message = sesame_mail_message_new (NULL, "ce@example.org", NULL, "a@example.org>, <b@example.org",
                                     "Hello", "text", SESAME_MAIL_FLAGS_NONE, NULL, &error);
  g_assert_null (message);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
}

static void
test_settings_validate (void)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_false (sesame_smtp_settings_is_configured (settings));
  g_assert_false (sesame_smtp_settings_validate (settings, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  sesame_smtp_settings_set_host (settings, "smtp.ac-grenoble.fr");
  sesame_smtp_settings_set_from_address (settings, "ce.0740017s@ac-grenoble.fr");
  g_assert_true (sesame_smtp_settings_validate (settings, &error));
  g_assert_no_error (error);
  url = sesame_smtp_settings_dup_url (settings);
  g_assert_cmpstr (url, ==, "smtp://smtp.ac-grenoble.fr:587");

  /* No unencrypted mail to another machine. */
  sesame_smtp_settings_set_security (settings, SESAME_SMTP_SECURITY_NONE);
  g_assert_false (sesame_smtp_settings_validate (settings, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  for (guint i = 0; i < 4; i++)
    {
      const char *local[] = { "localhost", "127.0.0.1", "::1", "LOCALHOST" };

      sesame_smtp_settings_set_host (settings, local[i]);
      g_assert_true (sesame_smtp_settings_validate (settings, &error));
      g_assert_no_error (error);
    }
  g_free (url);
  url = sesame_smtp_settings_dup_url (settings);
  g_assert_cmpstr (url, ==, "smtp://LOCALHOST:587");
  sesame_smtp_settings_set_host (settings, "::1");
  g_free (url);
  url = sesame_smtp_settings_dup_url (settings);
  g_assert_cmpstr (url, ==, "smtp://[::1]:587");

  sesame_smtp_settings_set_security (settings, SESAME_SMTP_SECURITY_TLS);
  sesame_smtp_settings_set_host (settings, "smtp://smtp.example.org");
  g_assert_false (sesame_smtp_settings_validate (settings, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  sesame_smtp_settings_set_host (settings, "smtp.example.org");
  sesame_smtp_settings_set_port (settings, 465);
  g_free (url);
  url = sesame_smtp_settings_dup_url (settings);
  g_assert_cmpstr (url, ==, "smtps://smtp.example.org:465");

  sesame_smtp_settings_set_user (settings, "user\r\nAUTH");
  g_assert_false (sesame_smtp_settings_validate (settings, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  sesame_smtp_settings_set_user (settings, "user");

  sesame_smtp_settings_set_from_address (settings, "not an address");
  g_assert_false (sesame_smtp_settings_validate (settings, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
}

/* The test message names the security in words. */
static void
test_smtp_test_message (void)
{
  static const struct { SesameSmtpSecurity security; const char *words; } cases[] = {
    { SESAME_SMTP_SECURITY_STARTTLS, "security: STARTTLS." },
    { SESAME_SMTP_SECURITY_TLS, "security: TLS." },
    { SESAME_SMTP_SECURITY_NONE, "security: none." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
      g_autoptr(SesameSmtpClient) client = NULL;
      g_autoptr(GMimeMessage) message = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      GMimeObject *body;

      sesame_smtp_settings_set_host (settings, "smtp.example.org");
      sesame_smtp_settings_set_port (settings, 587);
      sesame_smtp_settings_set_security (settings, cases[i].security);
      sesame_smtp_settings_set_from_address (settings, "ce.0740017s@ac-grenoble.example.org");
      client = sesame_smtp_client_new (settings, NULL);
      message = sesame_smtp_client_new_test_message (client, "helene.roche@example.org", &error);
      g_assert_no_error (error);
      body = g_mime_message_get_mime_part (message);
      g_assert_true (GMIME_IS_TEXT_PART (body));
      text = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
      g_assert_nonnull (strstr (text, "server smtp.example.org, port 587, "));
      g_assert_nonnull (strstr (text, cases[i].words));
      g_assert_null (strstr (text, "starttls"));
    }
}

static void
test_settings_store (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autoptr(SesameStore) store = sesame_test_fixture_store (dir);
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  g_autoptr(SesameSmtpSettings) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = sesame_smtp_settings_load (store, &error);
  g_assert_no_error (error);
  g_assert_false (sesame_smtp_settings_is_configured (loaded));
  g_assert_cmpuint (sesame_smtp_settings_get_rate (loaded), ==, SESAME_SMTP_DEFAULT_RATE);
  g_clear_object (&loaded);

  g_object_set (settings,
                "host", "smtp.ac-grenoble.fr", "port", 465, "security", SESAME_SMTP_SECURITY_TLS,
                "user", "ce.0740017s", "from-address", "ce.0740017s@ac-grenoble.fr",
                "from-name", "Collège Les Aravis", "rate", 30, NULL);

  /* A teacher is no administrator. */
  g_assert_true (_sesame_store_set_operator_trusted (store, "luc.bernard", &error));
  g_assert_false (sesame_smtp_settings_save (settings, store, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  g_assert_true (_sesame_store_set_operator_trusted (store, NULL, &error));
  g_assert_true (sesame_smtp_settings_save (settings, store, &error));
  g_assert_no_error (error);

  loaded = sesame_smtp_settings_load (store, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_smtp_settings_is_configured (loaded));
  g_assert_cmpstr (sesame_smtp_settings_get_host (loaded), ==, "smtp.ac-grenoble.fr");
  g_assert_cmpuint (sesame_smtp_settings_get_port (loaded), ==, 465);
  g_assert_cmpint (sesame_smtp_settings_get_security (loaded), ==, SESAME_SMTP_SECURITY_TLS);
  g_assert_cmpstr (sesame_smtp_settings_get_user (loaded), ==, "ce.0740017s");
  g_assert_cmpstr (sesame_smtp_settings_get_from_address (loaded), ==, "ce.0740017s@ac-grenoble.fr");
  g_assert_cmpstr (sesame_smtp_settings_get_from_name (loaded), ==, "Collège Les Aravis");
  g_assert_cmpuint (sesame_smtp_settings_get_rate (loaded), ==, 30);

  /* Unencrypted towards another machine is refused, and nothing changes. */
  sesame_smtp_settings_set_security (settings, SESAME_SMTP_SECURITY_NONE);
  g_assert_false (sesame_smtp_settings_save (settings, store, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_object (&loaded);
  loaded = sesame_smtp_settings_load (store, NULL);
  g_assert_cmpint (sesame_smtp_settings_get_security (loaded), ==, SESAME_SMTP_SECURITY_TLS);

  sesame_test_remove_tree (dir);
}

static GBytes *
make_message (SesameSmtpSettings *settings,
              const char         *to,
              guint               n)
{
  g_autofree char *subject = g_strdup_printf ("Message n° %u", n);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                     sesame_smtp_settings_get_from_address (settings),
                                     NULL, to, subject, "Un message d'essai.\n",
                                     SESAME_MAIL_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  return sesame_mail_message_to_bytes (message);
}

static SesameSmtpClient *
make_client (SesameTestSmtpServer *server,
             const char           *password)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (server);
  SesameSmtpClient *client = sesame_smtp_client_new (settings, password);

  sesame_smtp_client_set_ca_file (client, server->cert);
  return client;
}

static void
send_many (const char *tls)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GPtrArray) log = NULL;
  gint64 peer = -1;

  server = sesame_test_smtp_server_start ("--tls", tls, "--user", SESAME_TEST_SMTP_USER,
                                          "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  client = make_client (server, SESAME_TEST_SMTP_PASSWORD);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *to = g_strdup_printf ("parent%02u@example.org", i);
      g_autoptr(GBytes) bytes = make_message (sesame_smtp_client_get_settings (client), to, i);
      g_autoptr(GError) error = NULL;

      g_assert_true (sesame_smtp_client_send (client, to, bytes, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (sesame_smtp_client_get_last_reply (client), "250 2.0.0 OK"));
    }
  /* One connection for all twenty. */
  g_assert_cmpuint (sesame_smtp_client_get_connections (client), ==, 1);
  sesame_smtp_client_disconnect (client);

  log = sesame_test_smtp_server_read_log (server);
  g_assert_cmpuint (log->len, ==, 20);
  for (guint i = 0; i < log->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (log, i);
      g_autofree char *to = g_strdup_printf ("parent%02u@example.org", i);

      g_assert_true (json_object_get_boolean_member (entry, "tls"));
      g_assert_cmpstr (json_object_get_string_member (entry, "auth"), ==, SESAME_TEST_SMTP_USER);
      g_assert_cmpstr (json_object_get_string_member (entry, "from"), ==, "ce.0740017s@ac-grenoble.example.org");
      g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "to"), 0), ==, to);
      if (peer < 0)
        peer = json_object_get_int_member (entry, "peer");
      g_assert_cmpint (json_object_get_int_member (entry, "peer"), ==, peer);
    }
}

static void
test_smtp_starttls (void)
{
  send_many ("starttls");
}

static void
test_smtp_implicit_tls (void)
{
  send_many ("implicit");
}

static void
send_one_expecting (SesameSmtpClient *client,
                    const char       *to,
                    int               code)
{
  g_autoptr(GBytes) bytes = make_message (sesame_smtp_client_get_settings (client), to, 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (sesame_smtp_client_send (client, to, bytes, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, SESAME_SMTP_ERROR, code);
}

static void
test_smtp_auth_refused (void)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                          "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  client = make_client (server, "a wrong password");
  bytes = make_message (sesame_smtp_client_get_settings (client), "a@example.org", 1);

  g_assert_false (sesame_smtp_client_send (client, "a@example.org", bytes, NULL, &error));
  g_assert_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_AUTHENTICATION);
  /* The server's own words, and never the password. */
  g_assert_nonnull (strstr (error->message, "535"));
  g_assert_null (strstr (error->message, "a wrong password"));
  g_assert_null (strstr (sesame_smtp_client_get_last_reply (client), "a wrong password"));
  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, 0);
}

static void
test_smtp_tls_untrusted (void)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                          "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  client = make_client (server, SESAME_TEST_SMTP_PASSWORD);
  /* The system's authorities do not know the self-signed certificate. */
  sesame_smtp_client_set_ca_file (client, NULL);
  send_one_expecting (client, "a@example.org", SESAME_SMTP_ERROR_TLS);
}

static void
test_smtp_no_starttls (void)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;

  /* STARTTLS is required: a server that does not offer it gets nothing. */
  server = sesame_test_smtp_server_start ("--tls", "none", NULL);
  settings = sesame_test_smtp_server_settings (server);
  sesame_smtp_settings_set_security (settings, SESAME_SMTP_SECURITY_STARTTLS);
  client = sesame_smtp_client_new (settings, SESAME_TEST_SMTP_PASSWORD);
  send_one_expecting (client, "a@example.org", SESAME_SMTP_ERROR_TLS);
  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, 0);
}

static void
test_smtp_connection_refused (void)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;

  server = sesame_test_smtp_server_start ("--tls", "starttls", NULL);
  client = make_client (server, NULL);
  sesame_test_smtp_server_stop (server);
  send_one_expecting (client, "a@example.org", SESAME_SMTP_ERROR_CONNECTION_REFUSED);
}

static void
test_smtp_unknown_host (void)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_smtp_settings_new ();
  g_autoptr(SesameSmtpClient) client = NULL;

  sesame_smtp_settings_set_host (settings, "smtp.sesame-test.invalid");
  sesame_smtp_settings_set_from_address (settings, "ce@example.org");
  client = sesame_smtp_client_new (settings, NULL);
  send_one_expecting (client, "a@example.org", SESAME_SMTP_ERROR_HOST_NOT_FOUND);
}

static void
test_smtp_replies (void)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                          "--password", SESAME_TEST_SMTP_PASSWORD,
                                          "--tempfail", "grey@example.org=1",
                                          "--permfail", "gone@example.org", NULL);
  client = make_client (server, SESAME_TEST_SMTP_PASSWORD);
  bytes = make_message (sesame_smtp_client_get_settings (client), "grey@example.org", 1);

  g_assert_false (sesame_smtp_client_send (client, "grey@example.org", bytes, NULL, &error));
  g_assert_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_TEMPORARY);
  g_assert_true (sesame_smtp_error_is_temporary (error));
  g_assert_true (sesame_smtp_error_is_about_message (error));
  g_assert_cmpuint (sesame_smtp_client_get_last_code (client), ==, 451);
  g_test_message ("reply [%s]", sesame_smtp_client_get_last_reply (client));
  g_assert_true (g_str_has_prefix (sesame_smtp_client_get_last_reply (client), "451 4.3.0"));
  g_assert_false (sesame_smtp_client_get_data_sent (client));
  g_clear_error (&error);

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = make_message (sesame_smtp_client_get_settings (client), "gone@example.org", 2);
  g_assert_false (sesame_smtp_client_send (client, "gone@example.org", bytes, NULL, &error));
  g_assert_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_PERMANENT);
  g_assert_false (sesame_smtp_error_is_temporary (error));
  g_assert_cmpuint (sesame_smtp_client_get_last_code (client), ==, 550);
  g_assert_nonnull (strstr (error->message, "550 5.1.1"));
  g_clear_error (&error);

  /* The next ones still go, the greylisted one on its second try. */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = make_message (sesame_smtp_client_get_settings (client), "grey@example.org", 3);
  g_assert_true (sesame_smtp_client_send (client, "grey@example.org", bytes, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_smtp_client_get_data_sent (client));
  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, 1);
}

static void
test_smtp_reconnects (void)
{
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                          "--password", SESAME_TEST_SMTP_PASSWORD,
                                          "--drop-after", "2", NULL);
  client = make_client (server, SESAME_TEST_SMTP_PASSWORD);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *to = g_strdup_printf ("p%u@example.org", i);
      g_autoptr(GBytes) bytes = make_message (sesame_smtp_client_get_settings (client), to, i);
      g_autoptr(GError) error = NULL;

      /* Let the server close the connection it dropped. */
      if (i == 2)
        g_usleep (300000);
      g_assert_true (sesame_smtp_client_send (client, to, bytes, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (sesame_smtp_client_get_connections (client), ==, 2);
  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, 4);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_smtp_rate (void)
{
  GThread *thread;
  g_autoptr(SesameTestSmtpServer) server = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  server = sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                          "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  client = make_client (server, SESAME_TEST_SMTP_PASSWORD);
  bytes = make_message (sesame_smtp_client_get_settings (client), "a@example.org", 1);

  /* 600 per minute: one every 100 ms. */
  sesame_smtp_client_set_rate (client, 600);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 6; i++)
    {
      g_assert_true (sesame_smtp_client_send (client, "a@example.org", bytes, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500000);

  /* One a minute: the wait gives way to a cancellation. */
  sesame_smtp_client_set_rate (client, 1);
  g_assert_true (sesame_smtp_client_send (client, "a@example.org", bytes, NULL, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  /* The wait blocks this thread: another one cancels it. */
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  g_assert_false (sesame_smtp_client_send (client, "a@example.org", bytes, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  sesame_mail_init ();

  g_test_add_func ("/sesame/mail/address", test_mail_address);
  g_test_add_func ("/sesame/mail/subject", test_mail_subject);
  g_test_add_func ("/sesame/mail/free-text", test_mail_free_text);
  g_test_add_func ("/sesame/mail/compose-text", test_mail_compose_text);
  g_test_add_func ("/sesame/mail/message", test_mail_message);
  g_test_add_func ("/sesame/mail/refuses-headers", test_mail_message_refuses_headers);
  g_test_add_func ("/sesame/smtp/settings-validate", test_settings_validate);
  g_test_add_func ("/sesame/smtp/settings-store", test_settings_store);
  g_test_add_func ("/sesame/smtp/test-message", test_smtp_test_message);
  g_test_add_func ("/sesame/smtp/starttls", test_smtp_starttls);
  g_test_add_func ("/sesame/smtp/implicit-tls", test_smtp_implicit_tls);
  g_test_add_func ("/sesame/smtp/auth-refused", test_smtp_auth_refused);
  g_test_add_func ("/sesame/smtp/tls-untrusted", test_smtp_tls_untrusted);
  g_test_add_func ("/sesame/smtp/no-starttls", test_smtp_no_starttls);
  g_test_add_func ("/sesame/smtp/connection-refused", test_smtp_connection_refused);
  g_test_add_func ("/sesame/smtp/unknown-host", test_smtp_unknown_host);
  g_test_add_func ("/sesame/smtp/replies", test_smtp_replies);
  g_test_add_func ("/sesame/smtp/reconnects", test_smtp_reconnects);
  g_test_add_func ("/sesame/smtp/rate", test_smtp_rate);

  return g_test_run ();
}
