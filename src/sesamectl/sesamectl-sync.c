/* sesamectl-sync.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl join and sync: a desk's side of sesame-server. join makes a
 * new desk store from the server's snapshot; sync runs one round (pull,
 * then push) and says by its exit status whether the desk is in step (0),
 * the server refused some change (1, listed), or could not be reached (2).
 * sync --follow keeps the desk in step until it is stopped, as the window
 * does, for a desk run as a service and for tests.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "sesamectl.h"

int
sesamectl_cmd_join (SesameCtl *ctl,
                    int        argc,
                    char     **argv)
{
  g_autofree char *code = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &code, N_("The one-time code of “sesamectl desks add” on the server"), N_("CODE") },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint,
      N_("The SHA-256 fingerprint sesame-server printed (needed for its own certificate)"), N_("SHA256") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(SesameSyncJoinReport) report = { 0 };
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!sesamectl_parse ("join", N_("https://HOST:PORT"),
                        _("Makes this desk's store (--store) from the server's: checks and pins its certificate, enrols with the code and downloads the establishments the desk serves."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("join", _("Give the server's address, https://HOST:PORT."));
  if (code == NULL)
    return sesamectl_usage_error ("join", _("--code is needed: the server's administrator makes one with “sesamectl desks add”."));

  path = ctl->store_path != NULL ? g_strdup (ctl->store_path) : sesame_store_default_path ();
  store = sesame_sync_client_join (path, argv[1], code, fingerprint, &report, &error);
  if (store == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, argv[1]);
      json_builder_set_member_name (builder, "desk");
      json_builder_add_string_value (builder, report.desk);
      json_builder_set_member_name (builder, "fingerprint");
      json_builder_add_string_value (builder, report.fingerprint);
      json_builder_set_member_name (builder, "store");
      json_builder_add_string_value (builder, sesame_store_get_path (store));
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, (gint64) report.snapshot_bytes);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, report.seconds);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      g_print (_("This computer is now desk “%s” of %s (certificate %s)."), report.desk, argv[1], report.fingerprint);
      g_print ("\n");
      g_print (_("Store %s: %.1f MB received in %.1f s."), sesame_store_get_path (store),
               report.snapshot_bytes / 1e6, report.seconds);
      g_print ("\n");
    }
  return SESAMECTL_EXIT_OK;
}

static int
exit_for_round (const GError *error)
{
  if (g_error_matches (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
    return SESAMECTL_EXIT_USAGE;
  return SESAMECTL_EXIT_REFUSED;
}

static int
sync_round (SesameCtl *ctl,
            gboolean   json)
{
  g_auto(SesameSyncRoundReport) report = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *server = sesame_sync_client_dup_server (ctl->store);

  if (!sesame_sync_client_run_round (ctl->store, &report, &error))
    {
      g_printerr ("sesamectl: %s\n", error->message);
      return exit_for_round (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, server);
      json_builder_set_member_name (builder, "pulled");
      json_builder_add_int_value (builder, report.pulled);
      json_builder_set_member_name (builder, "accepted");
      json_builder_add_int_value (builder, report.accepted);
      json_builder_set_member_name (builder, "stale");
      json_builder_add_int_value (builder, report.stale);
      json_builder_set_member_name (builder, "refused");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report.refused->len; i++)
        {
          SesameSyncRefusal *refused = g_ptr_array_index (report.refused, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "entry");
          json_builder_add_string_value (builder, refused->entry_id);
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, refused->operator);
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, refused->action);
          sesamectl_json_add_time (builder, "desk_time", refused->desk_time);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, refused->reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      g_print (_("%u changes received, %u sent."), report.pulled, report.accepted);
      g_print ("\n");
      for (guint i = 0; i < report.refused->len; i++)
        {
          SesameSyncRefusal *refused = g_ptr_array_index (report.refused, i);

          g_print (_("Refused: %s by %s: %s"), refused->action, refused->operator, refused->reason);
          g_print ("\n");
        }
      if (report.stale > 0)
        {
          g_print (_("%u changes wait for the next round: the server changed the same rows meanwhile."), report.stale);
          g_print ("\n");
        }
    }
  return report.refused->len > 0 ? SESAMECTL_EXIT_REFUSED : SESAMECTL_EXIT_OK;
}

typedef struct
{
  GMainLoop       *loop;
  SesameSyncState  state;
  gboolean         first;
} Follow;

static gboolean
on_follow_signal (gpointer data)
{
  Follow *follow = data;

  g_main_loop_quit (follow->loop);
  return G_SOURCE_CONTINUE;
}

/* A line per round that changed something, and one each time the server
 * stops or starts answering: a service's journal stays readable. */
static void
on_round_finished (SesameSyncScheduler   *scheduler,
                   SesameSyncRoundReport *report,
                   const GError          *error,
                   Follow                *follow)
{
  SesameSyncState state = sesame_sync_scheduler_get_state (scheduler);
  g_autofree char *now = sesamectl_format_local_time (sesame_store_now (sesame_sync_scheduler_get_store (scheduler)));
  gboolean changed_state = follow->first || state != follow->state;

  follow->first = FALSE;
  follow->state = state;
  if (error != NULL)
    {
      if (changed_state)
        {
          g_print ("%s  ", now);
          g_print (_("%s (%u changes waiting)"), error->message, sesame_sync_scheduler_get_pending (scheduler));
          g_print ("\n");
        }
      return;
    }
  if (!changed_state && report->pulled == 0 && report->accepted == 0 && report->refused->len == 0)
    return;
  g_print ("%s  ", now);
  g_print (_("%u changes received, %u sent, %u waiting, %u conflicts."), report->pulled, report->accepted,
           sesame_sync_scheduler_get_pending (scheduler), sesame_sync_scheduler_get_conflicts (scheduler));
  g_print ("\n");
  for (guint i = 0; i < report->refused->len; i++)
    {
      SesameSyncRefusal *refused = g_ptr_array_index (report->refused, i);

      g_print ("%s  ", now);
      g_print (_("Refused: %s by %s: %s"), refused->action, refused->operator, refused->reason);
      g_print ("\n");
    }
}

static int
sync_follow (SesameCtl *ctl)
{
  g_autoptr(SesameSyncScheduler) scheduler = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Follow follow = { loop, SESAME_SYNC_STATE_SYNCED, TRUE };
  guint sigint, sigterm;

  scheduler = sesame_sync_scheduler_new (ctl->store, &error);
  if (scheduler == NULL)
    return sesamectl_fail (error);
  g_signal_connect (scheduler, "round-finished", G_CALLBACK (on_round_finished), &follow);
  sigint = g_unix_signal_add (SIGINT, on_follow_signal, &follow);
  sigterm = g_unix_signal_add (SIGTERM, on_follow_signal, &follow);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (scheduler, &follow);
  sesame_sync_scheduler_stop (scheduler);
  /* A round under way ends before the store closes. */
  while (sesame_sync_scheduler_get_state (scheduler) == SESAME_SYNC_STATE_SYNCING)
    g_main_context_iteration (NULL, TRUE);
  return SESAMECTL_EXIT_OK;
}

static int print_status (SesameCtl        *ctl,
                         SesameSyncStatus *status,
                         gboolean          json);

static int
sync_status (SesameCtl *ctl,
             int        argc,
             char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  SesameSyncStatus status = { 0 };
  g_autoptr(GError) error = NULL;
  int result;

  if (!sesamectl_parse ("sync status", NULL, _("Where this desk stands with its server."), entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (!sesame_sync_desk_get_status (ctl->store, &status, &error))
    return sesamectl_fail (error);
  result = print_status (ctl, &status, json);
  sesame_sync_status_clear (&status);
  return result;
}

static int
print_status (SesameCtl        *ctl,
              SesameSyncStatus *status,
              gboolean          json)
{
  g_autoptr(GError) error = NULL;

  if (status->server == NULL)
    {
      g_set_error (&error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                   _("The store %s joined no server: “sesamectl join” makes a desk of a server."),
                   sesame_store_get_path (ctl->store));
      return sesamectl_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, status->server);
      json_builder_set_member_name (builder, "desk");
      json_builder_add_string_value (builder, status->desk);
      json_builder_set_member_name (builder, "pending");
      json_builder_add_int_value (builder, status->pending);
      sesamectl_json_add_time (builder, "last_sync", status->last_sync);
      json_builder_set_member_name (builder, "conflicts");
      json_builder_add_int_value (builder, status->conflicts);
      json_builder_set_member_name (builder, "cursor");
      json_builder_add_int_value (builder, status->cursor);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      g_autofree char *last = status->last_sync != 0 ? sesamectl_format_local_time (status->last_sync)
                                                    : g_strdup (_("never"));

      g_print (_("Server: %s"), status->server);
      g_print ("\n");
      g_print (_("Last synchronised: %s"), last);
      g_print ("\n");
      g_print (_("Changes waiting to be sent: %u"), status->pending);
      g_print ("\n");
      g_print (_("Conflicts: %u"), status->conflicts);
      g_print ("\n");
    }
  return SESAMECTL_EXIT_OK;
}

static int
sync_conflicts (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("sync conflicts", NULL,
                        _("The changes of this desk that the server refused or that another desk's overtook."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  conflicts = sesame_sync_desk_list_conflicts (ctl->store, &error);
  if (conflicts == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < conflicts->len; i++)
        {
          SesameSyncConflict *conflict = g_ptr_array_index (conflicts, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, conflict->id);
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, conflict->operator);
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, conflict->action);
          json_builder_set_member_name (builder, "target");
          json_builder_add_string_value (builder, conflict->target);
          sesamectl_json_add_time (builder, "desk_time", conflict->desk_time);
          sesamectl_json_add_time (builder, "recorded_at", conflict->recorded_at);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, conflict->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }
  if (conflicts->len == 0)
    {
      g_print ("%s\n", _("No conflict."));
      return SESAMECTL_EXIT_OK;
    }
  for (guint i = 0; i < conflicts->len; i++)
    {
      SesameSyncConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autofree char *at = sesamectl_format_local_time (conflict->recorded_at);

      g_print ("%s  ", at);
      sesamectl_print_row ((const guint[]) { 16 }, 2, conflict->operator, conflict->message);
    }
  return SESAMECTL_EXIT_OK;
}

int
sesamectl_cmd_sync (SesameCtl *ctl,
                    int        argc,
                    char     **argv)
{
  gboolean json = FALSE;
  gboolean follow = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "follow", 0, 0, G_OPTION_ARG_NONE, &follow,
      N_("Keep the desk in step until stopped (SIGINT, SIGTERM): a round every few seconds and at once after a change, a line for each round that changed something"),
      NULL },
    { NULL }
  };

  if (argc >= 2 && g_str_equal (argv[1], "status"))
    return sync_status (ctl, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "conflicts"))
    return sync_conflicts (ctl, argc - 1, argv + 1);

  if (!sesamectl_parse ("sync", "[status|conflicts]",
                        _("Runs one round with the server: receives its changes, then sends this desk's. Exit status: 0 in step, 1 the server refused a change (listed), 2 the server cannot be reached."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 1)
    return sesamectl_usage_error ("sync", _("Unknown command “sync %s”."), argv[1]);
  if (follow && json)
    return sesamectl_usage_error ("sync", _("--follow prints lines, not JSON: give one or the other."));
  if (follow)
    return sync_follow (ctl);
  return sync_round (ctl, json);
}
