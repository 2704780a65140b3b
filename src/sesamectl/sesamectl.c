/* sesamectl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scriptable face of the Sésame core. Commands, flags and exit codes are
 * a public interface (see DESIGN.md and the README): keep them stable.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sesamectl.h"

typedef struct
{
  const char       *name;
  SesameCtlCommand  run;
  gboolean          needs_store;
  /* Whether the command creates a store that does not exist. */
  gboolean          creates_store;
  /* Its subcommands that only read, space-separated; "*" for the command
   * itself. */
  const char       *reads_only;
  const char       *summary;
} CommandInfo;

static const CommandInfo commands[] = {
  { "import",    sesamectl_cmd_import,    TRUE, TRUE,  NULL, N_("Import AAF directory files or folders") },
  { "files",     sesamectl_cmd_files,     TRUE, FALSE, "list", N_("List, generate, export or delete identifier files") },
  { "search",    sesamectl_cmd_search,    TRUE, FALSE, "*", N_("Search persons and accounts") },
  { "account",   sesamectl_cmd_account,   TRUE, FALSE, "show", N_("Show an account, change its login or password") },
  { "roles",     sesamectl_cmd_roles,     TRUE, FALSE, "list", N_("List, grant or revoke the identifier manager role") },
  { "audit",     sesamectl_cmd_audit,     TRUE, FALSE, "*", N_("Show the audit trail") },
  { "letters",   sesamectl_cmd_letters,   TRUE, FALSE, NULL, N_("Print slips and letters to a PDF file") },
  { "smtp",      sesamectl_cmd_smtp,      TRUE, FALSE, "show", N_("Set or test the mail server") },
  { "diffusion", sesamectl_cmd_diffusion, TRUE, FALSE, "list show report without-email",
    N_("Send logins by email and follow the campaigns") },
  { "settings",  sesamectl_cmd_settings,  TRUE, FALSE, "list", N_("List or change the settings of the store") },
  { "operator",  sesamectl_cmd_operator,  TRUE, FALSE, "list", N_("Set up the store, enrol, invite and list the operators who sign in") },
  { "notices",   sesamectl_cmd_notices,   TRUE, FALSE, "list", N_("Your copy by email of each password you regenerate") },
  { "desks",     sesamectl_cmd_desks,     TRUE, FALSE, "list", N_("On the server's store: add, list or revoke the desks that join it") },
  { "cas",       sesamectl_cmd_cas,       TRUE, FALSE, NULL, N_("On the server's store: the web services that sign people in with its CAS") },
  { "join",      sesamectl_cmd_join,      FALSE, FALSE, NULL, N_("Make this desk's store from a sesame-server") },
  { "sync",      sesamectl_cmd_sync,      TRUE, FALSE, "status conflicts", N_("Exchange changes with the server; its status and conflicts") },
};

/* Commands that only read open the store without writing to it, so that
 * they answer at once while an import or another desk writes. Only import
 * creates a store (besides the default one, which the core creates). */
static SesameStoreOpenFlags
open_flags (const CommandInfo *command,
            const char        *subcommand)
{
  g_auto(GStrv) reads = NULL;

  if (command->creates_store)
    return SESAME_STORE_OPEN_CREATE;
  if (command->reads_only == NULL)
    return SESAME_STORE_OPEN_NONE;
  if (g_str_equal (command->reads_only, "*"))
    return SESAME_STORE_OPEN_READ;
  if (subcommand == NULL)
    return SESAME_STORE_OPEN_NONE;
  reads = g_strsplit (command->reads_only, " ", -1);
  return g_strv_contains ((const char * const *) reads, subcommand)
    ? SESAME_STORE_OPEN_READ : SESAME_STORE_OPEN_NONE;
}

int
sesamectl_fail (const GError *error)
{
  g_printerr ("sesamectl: %s\n", error->message);

  if (error->domain == SESAME_ERROR)
    {
      switch ((SesameError) error->code)
        {
        case SESAME_ERROR_NOT_FOUND:
        case SESAME_ERROR_PERMISSION_DENIED:
        case SESAME_ERROR_REFUSED:
        case SESAME_ERROR_CANCELLED:
        case SESAME_ERROR_ENT_NOT_SET:
        /* Not bad input: the same command may succeed in a moment. */
        case SESAME_ERROR_BUSY:
          return SESAMECTL_EXIT_REFUSED;
        case SESAME_ERROR_INVALID:
        case SESAME_ERROR_NO_STORE:
          return SESAMECTL_EXIT_USAGE;
        case SESAME_ERROR_FAILED:
        case SESAME_ERROR_STORE_VERSION:
        default:
          return SESAMECTL_EXIT_USAGE;
        }
    }
  /* A server out of reach is not a refusal: the same command may work later. */
  if (error->domain == SESAME_SYNC_CLIENT_ERROR)
    return error->code == SESAME_SYNC_CLIENT_ERROR_UNREACHABLE ? SESAMECTL_EXIT_USAGE : SESAMECTL_EXIT_REFUSED;
  if (error->domain == G_OPTION_ERROR || error->domain == G_IO_ERROR ||
      error->domain == G_FILE_ERROR || error->domain == G_MARKUP_ERROR)
    return SESAMECTL_EXIT_USAGE;
  return SESAMECTL_EXIT_USAGE;
}

int
sesamectl_usage_error (const char *command,
                       const char *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("sesamectl: %s\n", message);
  if (command != NULL)
    g_printerr (_("Run “sesamectl %s --help” to see its options.\n"), command);
  else
    g_printerr (_("Run “sesamectl --help” to see the commands.\n"));
  return SESAMECTL_EXIT_USAGE;
}

int
sesamectl_run_subcommand (SesameCtl                 *ctl,
                          const char                *group,
                          const SesameCtlSubcommand *subcommands,
                          guint                      n_subcommands,
                          int                        argc,
                          char                     **argv)
{
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < n_subcommands; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? "|" : "", subcommands[i].name);
      g_print (_("Usage: sesamectl %s %s [OPTION…]"), group, names->str);
      g_print ("\n\n");
      for (guint i = 0; i < n_subcommands; i++)
        {
          g_autofree char *line = g_strdup_printf ("%s %s", subcommands[i].name, subcommands[i].synopsis);
          g_print ("  ");
          sesamectl_print_row ((const guint[]) { 44 }, 2, line, _(subcommands[i].summary));
        }
      g_print ("\n");
      g_print (_("Run “sesamectl %s SUBCOMMAND --help” for its options."), group);
      g_print ("\n");
      return argc < 2 ? SESAMECTL_EXIT_USAGE : SESAMECTL_EXIT_OK;
    }

  for (guint i = 0; i < n_subcommands; i++)
    if (g_str_equal (argv[1], subcommands[i].name))
      return subcommands[i].run (ctl, argc - 1, argv + 1);

  return sesamectl_usage_error (group, _("Unknown command “%s %s”."), group, argv[1]);
}

gboolean
sesamectl_parse (const char     *command,
                 const char     *parameters,
                 const char     *summary,
                 GOptionEntry   *entries,
                 int            *argc,
                 char         ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("sesamectl %s", command);

  g_set_prgname (prgname);
  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      sesamectl_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

void
sesamectl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

char *
sesamectl_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time == 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_time);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

void
sesamectl_json_add_time (JsonBuilder *builder,
                         const char  *name,
                         gint64       unix_time)
{
  g_autofree char *text = sesamectl_format_time (unix_time);

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

char *
sesamectl_format_local_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time == 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (unix_time);
  /* TRANSLATORS: a date and time, see the strftime manual */
  return dt ? g_date_time_format (dt, _("%Y-%m-%d %H:%M")) : g_strdup ("—");
}

gboolean
sesamectl_parse_date (const char *text,
                      gint64     *unix_time)
{
  g_autoptr(GDateTime) dt = NULL;
  int year, month, day;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3)
    return FALSE;
  dt = g_date_time_new_local (year, month, day, 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  *unix_time = g_date_time_to_unix (dt);
  return TRUE;
}

char *
sesamectl_read_line (void)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    return NULL;
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

void
sesamectl_wipe_secret (char *secret)
{
  if (secret != NULL)
    sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* Reads one line from fd, byte by byte: nothing is read ahead, so that the
 * rest of stdin stays for the command. */
static char *
read_fd_line (int fd)
{
  g_autoptr(GString) line = g_string_new (NULL);
  char *text;
  gboolean any = FALSE;
  char c;

  while (read (fd, &c, 1) == 1)
    {
      any = TRUE;
      if (c == '\n')
        break;
      g_string_append_c (line, c);
    }
  if (!any)
    {
      sodium_memzero (line->str, line->len);
      return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  text = g_strndup (line->str, line->len);
  sodium_memzero (line->str, line->len);
  return text;
}

/* The terminal whose echo is off, for the signal handler to restore. */
static int quiet_fd = -1;
static struct termios quiet_saved;

/* Ctrl+C at the prompt must not leave the terminal without echo. */
static void
restore_terminal_on_signal (int signum)
{
  if (quiet_fd >= 0)
    tcsetattr (quiet_fd, TCSAFLUSH, &quiet_saved);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* Prompts on a terminal and reads a line with echo off. */
static char *
read_terminal_secret (int         fd,
                      const char *prompt)
{
  struct sigaction action = { 0 }, old_int, old_term, old_hup;
  struct termios quiet;
  gboolean restore = FALSE;
  char *secret;

  if (tcgetattr (fd, &quiet_saved) == 0)
    {
      quiet = quiet_saved;
      quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHONL);
      quiet.c_lflag |= ICANON;
      action.sa_handler = restore_terminal_on_signal;
      sigemptyset (&action.sa_mask);
      sigaction (SIGINT, &action, &old_int);
      sigaction (SIGTERM, &action, &old_term);
      sigaction (SIGHUP, &action, &old_hup);
      quiet_fd = fd;
      restore = tcsetattr (fd, TCSAFLUSH, &quiet) == 0;
    }
  if (write (fd, prompt, strlen (prompt)) < 0)
    g_debug ("Cannot write the prompt: %s", g_strerror (errno));
  secret = read_fd_line (fd);
  if (restore)
    tcsetattr (fd, TCSAFLUSH, &quiet_saved);
  if (quiet_fd >= 0)
    {
      quiet_fd = -1;
      sigaction (SIGINT, &old_int, NULL);
      sigaction (SIGTERM, &old_term, NULL);
      sigaction (SIGHUP, &old_hup, NULL);
    }
  if (write (fd, "\n", 1) < 0)
    g_debug ("Cannot end the prompt: %s", g_strerror (errno));
  return secret;
}

char *
sesamectl_read_secret (const char *prompt)
{
  if (isatty (STDIN_FILENO))
    return read_terminal_secret (STDIN_FILENO, prompt);
  fflush (stdout);
  return read_fd_line (STDIN_FILENO);
}

/* The passphrase of --as: from SESAME_PASSPHRASE for scripts, otherwise
 * asked on the terminal itself (not stdin, which may carry the command's
 * input), without echo. */
static char *
dup_operator_passphrase (const char  *login,
                         GError     **error)
{
  const char *env = g_getenv ("SESAME_PASSPHRASE");
  g_autofree char *prompt = NULL;
  char *passphrase;
  int fd;

  if (env != NULL)
    {
      passphrase = g_strdup (env);
      /* Nothing the command starts inherits it. */
      g_unsetenv ("SESAME_PASSPHRASE");
      return passphrase;
    }

  fd = g_open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                   _("No passphrase for %s: run sesamectl in a terminal to type it, or set SESAME_PASSPHRASE for a script."),
                   login);
      return NULL;
    }
  prompt = g_strdup_printf (_("Operator passphrase for %s: "), login);
  passphrase = read_terminal_secret (fd, prompt);
  close (fd);
  if (passphrase == NULL)
    g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED,
                 _("No passphrase was typed for %s."), login);
  return passphrase;
}

void
sesamectl_add_person_members (JsonBuilder  *builder,
                              SesamePerson *person)
{
  const char * const *classes = sesame_person_get_classes (person);
  const char * const *groups = sesame_person_get_groups (person);

  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, sesame_person_get_login (person));
  json_builder_set_member_name (builder, "last_name");
  json_builder_add_string_value (builder, sesame_person_get_last_name (person));
  json_builder_set_member_name (builder, "first_name");
  json_builder_add_string_value (builder, sesame_person_get_first_name (person));
  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, sesame_profile_to_token (sesame_person_get_profile (person)));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sesame_account_state_to_token (sesame_person_get_state (person)));
  json_builder_set_member_name (builder, "establishment");
  json_builder_add_string_value (builder, sesame_person_get_establishment (person));
  json_builder_set_member_name (builder, "establishment_name");
  json_builder_add_string_value (builder, sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME));
  json_builder_set_member_name (builder, "classes");
  json_builder_begin_array (builder);
  for (guint i = 0; classes != NULL && classes[i] != NULL; i++)
    json_builder_add_string_value (builder, classes[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "groups");
  json_builder_begin_array (builder);
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    json_builder_add_string_value (builder, groups[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, sesame_person_get_key (person));
}

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: sesamectl [--store PATH] [--as LOGIN] COMMAND [OPTION…]"));
  g_print ("%s\n\n", _("Hands out ENT accounts from the academy directory: import, identifier files, searches, passwords, roles, letters and email."));
  g_print ("%s\n", _("Options:"));
  g_print ("  --store PATH   %s\n", _("the store to use (default: $XDG_DATA_HOME/sesame/sesame.db); a store named here must exist, except for import"));
  g_print ("  --as LOGIN     %s\n", _("sign in as this operator: asks for their passphrase on the terminal, or reads SESAME_PASSPHRASE; permissions are checked and the audit trail names them"));
  g_print ("  --version      %s\n\n", _("print the version"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_print ("  ");
      sesamectl_print_row ((const guint[]) { 10 }, 2, commands[i].name, _(commands[i].summary));
    }
  g_print ("\n%s\n", _("Run “sesamectl COMMAND --help” for a command’s options."));
  g_print ("%s\n", _("Without --as, the owner of the store file acts as its administrator."));
  g_print ("%s\n", _("Exit status: 0 success, 1 refused, not found or store busy (try again), 2 bad usage or bad input."));
}

/* Every message goes to stderr, debug output included: stdout carries
 * only results, so that --json stays parseable with G_MESSAGES_DEBUG set. */
static GLogWriterOutput
log_to_stderr (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *line = NULL;

  if (g_log_writer_default_would_drop (log_level, NULL))
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0 &&
            !g_log_writer_default_would_drop (log_level, fields[i].value))
          goto write;
      return G_LOG_WRITER_HANDLED;
    }

write:
  line = g_log_writer_format_fields (log_level, fields, n_fields, g_log_writer_supports_color (fileno (stderr)));
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *store_path = NULL;
  const char *operator = NULL;
  const CommandInfo *command = NULL;
  SesameCtl ctl = { 0 };
  int i;

  setlocale (LC_ALL, "");
  /* SESAME_LOCALEDIR, the build tree when run from it, or the installed
   * translations. */
  sesame_document_language_bind_text_domain ();
  g_set_prgname ("sesamectl");
  g_log_set_writer_func (log_to_stderr, NULL, NULL);

  /* Global options stand before the command; the command parses the rest. */
  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_help ();
          return SESAMECTL_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("sesamectl %s\n", PACKAGE_VERSION);
          return SESAMECTL_EXIT_OK;
        }
      else if (g_str_equal (arg, "--store") || g_str_equal (arg, "--as"))
        {
          if (i + 1 >= argc)
            return sesamectl_usage_error (NULL, _("%s needs a value."), arg);
          if (g_str_equal (arg, "--store"))
            store_path = argv[++i];
          else
            operator = argv[++i];
        }
      else if (g_str_has_prefix (arg, "--store="))
        store_path = arg + strlen ("--store=");
      else if (g_str_has_prefix (arg, "--as="))
        operator = arg + strlen ("--as=");
      else if (arg[0] == '-')
        return sesamectl_usage_error (NULL, _("Unknown option %s."), arg);
      else
        break;
    }

  if (i >= argc)
    {
      print_help ();
      return SESAMECTL_EXIT_USAGE;
    }

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (g_str_equal (argv[i], commands[c].name))
      command = &commands[c];
  if (command == NULL)
    return sesamectl_usage_error (NULL, _("Unknown command “%s”."), argv[i]);

  ctl.program = "sesamectl";
  ctl.store_path = store_path;

  /* Help must not create a store. */
  for (int j = i + 1; j < argc; j++)
    if (g_str_equal (argv[j], "--help") || g_str_equal (argv[j], "-h"))
      return command->run (&ctl, argc - i, argv + i);

  if (command->needs_store)
    {
      store = sesame_store_open_full (store_path, open_flags (command, i + 1 < argc ? argv[i + 1] : NULL), &error);
      if (store == NULL)
        return sesamectl_fail (error);
      if (operator != NULL)
        {
          g_autoptr(char_secret) passphrase = dup_operator_passphrase (operator, &error);

          /* On a desk, against the server when it answers. */
          if (passphrase == NULL || !sesame_sync_client_sign_in (store, operator, passphrase, NULL, &error))
            return sesamectl_fail (error);
        }
      ctl.store = store;
    }

  return command->run (&ctl, argc - i, argv + i);
}
