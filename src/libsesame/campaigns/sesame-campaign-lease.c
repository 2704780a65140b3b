/* sesame-campaign-lease.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One run at a time sends a campaign, whichever window or desk starts it:
 * two runs would send the same messages twice. The run holds the campaign
 * through a lease written in the campaign's row (run_id, its host and
 * process, a heartbeat); another run takes it only once the holder has
 * released it or is dead (its process gone on this machine, or silent for
 * SESAME_CAMPAIGN_STALE_SECONDS on another desk). Every write of the
 * campaign's state goes through the lease and fails once another run took
 * it over, so a run that lost its lease stops at its next message.
 *
 * What a dead run left half done among the recipients is settled by
 * sesame-campaign-delivery.c, not here: the lease only says who sends.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-campaign"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <unistd.h>

#include "sesame-campaign-lease-private.h"

struct _SesameCampaignLease
{
  SesameStore *store;
  char        *campaign_id;
  char        *run_id;
  gint64       last_heartbeat;
};

/*
 * _sesame_campaign_lease_holder_is_alive:
 * @run_host: the host named in the campaign's row
 * @run_pid: the process named in the campaign's row
 * @heartbeat_at: when that run last wrote, in seconds
 * @now: the store's time, in seconds
 *
 * Returns: whether the run named in a campaign's row still lives
 */
gboolean
_sesame_campaign_lease_holder_is_alive (const char *run_host,
                                        gint64      run_pid,
                                        gint64      heartbeat_at,
                                        gint64      now)
{
  if (now - heartbeat_at > SESAME_CAMPAIGN_STALE_SECONDS)
    return FALSE;
  /* On this machine, a dead process is known at once. */
  if (g_strcmp0 (run_host, g_get_host_name ()) == 0 && run_pid > 0)
    return kill ((pid_t) run_pid, 0) == 0 || errno == EPERM;
  return TRUE;
}

/*
 * _sesame_campaign_lease_new:
 * @store: the store the run writes to
 * @campaign_id: the campaign to hold
 *
 * Returns: (transfer full): a lease not taken yet, with a new run id
 */
SesameCampaignLease *
_sesame_campaign_lease_new (SesameStore *store,
                            const char  *campaign_id)
{
  SesameCampaignLease *lease = g_new0 (SesameCampaignLease, 1);

  lease->store = g_object_ref (store);
  lease->campaign_id = g_strdup (campaign_id);
  lease->run_id = _sesame_new_id ();
  return lease;
}

void
_sesame_campaign_lease_free (SesameCampaignLease *lease)
{
  if (lease == NULL)
    return;
  g_clear_object (&lease->store);
  g_free (lease->campaign_id);
  g_free (lease->run_id);
  g_free (lease);
}

const char *
_sesame_campaign_lease_get_run_id (SesameCampaignLease *lease)
{
  return lease->run_id;
}

SesameStore *
_sesame_campaign_lease_get_store (SesameCampaignLease *lease)
{
  return lease->store;
}

const char *
_sesame_campaign_lease_get_campaign_id (SesameCampaignLease *lease)
{
  return lease->campaign_id;
}

/*
 * _sesame_campaign_lease_check_available:
 * @lease: a lease not taken yet
 * @error: return location for a #GError
 *
 * Inside the caller's transaction, fails when a live run holds the
 * campaign. A dead holder does not count: its lease is taken over.
 *
 * Returns: %TRUE if the lease may be taken
 */
gboolean
_sesame_campaign_lease_check_available (SesameCampaignLease  *lease,
                                        GError              **error)
{
  g_autofree char *holder_host = NULL;
  gboolean held = FALSE;
  gint64 holder_pid = 0, holder_beat = 0;
  sqlite3_stmt *stmt;

  stmt = _sesame_store_prepare (lease->store,
                                "SELECT run_id IS NOT NULL, run_host, run_pid, run_heartbeat_at"
                                " FROM campaigns WHERE id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lease->campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      held = sqlite3_column_int (stmt, 0) != 0;
      holder_host = g_strdup (_sesame_column_text (stmt, 1));
      holder_pid = sqlite3_column_int64 (stmt, 2);
      holder_beat = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);

  if (held && _sesame_campaign_lease_holder_is_alive (holder_host, holder_pid, holder_beat,
                                                      sesame_store_now (lease->store)))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                   _("This campaign is being sent from another window or desk (%s). Wait until it ends, or pause it there."),
                   holder_host);
      return FALSE;
    }
  return TRUE;
}

/*
 * _sesame_campaign_lease_take:
 * @lease: a lease found available
 * @pending: how many recipients wait for their message
 * @resumed: (out): whether an earlier run had started the campaign
 * @error: return location for a #GError
 *
 * Inside the caller's transaction, writes this run as the campaign's
 * holder. The campaign says "sending", unless it had finished and nothing
 * waits.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_lease_take (SesameCampaignLease  *lease,
                             guint                 pending,
                             gboolean             *resumed,
                             GError              **error)
{
  gint64 now = sesame_store_now (lease->store);
  sqlite3_stmt *stmt;

  *resumed = FALSE;
  stmt = _sesame_store_prepare (lease->store,
                                "SELECT started_at IS NOT NULL FROM campaigns WHERE id = ?",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lease->campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *resumed = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  stmt = _sesame_store_prepare (lease->store,
                                "UPDATE campaigns SET run_id = ?2, run_host = ?3, run_pid = ?4, run_heartbeat_at = ?5,"
                                " state = CASE WHEN ?6 = 0 AND finished_at IS NOT NULL THEN state ELSE 'sending' END,"
                                " state_changed_at = ?5, started_at = COALESCE (started_at, ?5), last_error = ''"
                                " WHERE id = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lease->campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lease->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, g_get_host_name (), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, getpid ());
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int (stmt, 6, pending);
  if (!_sesame_store_step_done (lease->store, stmt, error))
    return FALSE;
  lease->last_heartbeat = g_get_monotonic_time ();
  return TRUE;
}

/* The campaign's row, if this run still holds it; @release clears the
 * holder. The two callers below say which. */
static gboolean
write_held_state (SesameCampaignLease  *lease,
                  SesameCampaignState   state,
                  const char           *last_error,
                  gboolean              release,
                  GError              **error)
{
  sqlite3_stmt *stmt;
  gint64 now = sesame_store_now (lease->store);

  stmt = _sesame_store_prepare (lease->store,
                                "UPDATE campaigns SET state = ?3, state_changed_at = ?4, run_heartbeat_at = ?4,"
                                " last_error = ?5,"
                                " finished_at = CASE WHEN ?3 = 'finished' THEN ?4 ELSE finished_at END,"
                                " run_id = CASE WHEN ?6 THEN NULL ELSE run_id END,"
                                " run_host = CASE WHEN ?6 THEN NULL ELSE run_host END,"
                                " run_pid = CASE WHEN ?6 THEN NULL ELSE run_pid END"
                                " WHERE id = ?1 AND run_id = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lease->campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lease->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, sesame_campaign_state_to_token (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_text (stmt, 5, last_error ? last_error : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 6, release);
  if (!_sesame_store_step_done (lease->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (_sesame_store_get_db (lease->store)) != 1)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("Another window or desk took over this campaign: this one stops sending."));
      return FALSE;
    }
  lease->last_heartbeat = g_get_monotonic_time ();
  return TRUE;
}

/*
 * _sesame_campaign_lease_write_state:
 * @lease: a lease taken
 * @state: where the campaign stands now
 * @error: return location for a #GError
 *
 * Writes the campaign's state, which also proves the lease still held:
 * it fails with %SESAME_ERROR_REFUSED once another run took it over.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_lease_write_state (SesameCampaignLease  *lease,
                                    SesameCampaignState   state,
                                    GError              **error)
{
  return write_held_state (lease, state, NULL, FALSE, error);
}

/*
 * _sesame_campaign_lease_release:
 * @lease: a lease taken
 * @state: where the campaign stands at the end of the run
 * @last_error: (nullable): why the run stopped, for an interrupted one
 * @error: return location for a #GError
 *
 * Hands the campaign back: its state at the end of this run is written
 * with no holder, so that another run may take it.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_lease_release (SesameCampaignLease  *lease,
                                SesameCampaignState   state,
                                const char           *last_error,
                                GError              **error)
{
  return write_held_state (lease, state, last_error, TRUE, error);
}

/*
 * _sesame_campaign_lease_heartbeat:
 * @lease: a lease taken
 * @error: return location for a #GError
 *
 * Tells other runs that this one still lives, at most every
 * %SESAME_CAMPAIGN_HEARTBEAT_USEC.
 *
 * Returns: %TRUE on success
 */
gboolean
_sesame_campaign_lease_heartbeat (SesameCampaignLease  *lease,
                                  GError              **error)
{
  sqlite3_stmt *stmt;

  if (g_get_monotonic_time () - lease->last_heartbeat < SESAME_CAMPAIGN_HEARTBEAT_USEC)
    return TRUE;
  stmt = _sesame_store_prepare (lease->store,
                                "UPDATE campaigns SET run_heartbeat_at = ?3 WHERE id = ?1 AND run_id = ?2",
                                error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lease->campaign_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, lease->run_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sesame_store_now (lease->store));
  if (!_sesame_store_step_done (lease->store, stmt, error))
    return FALSE;
  lease->last_heartbeat = g_get_monotonic_time ();
  return TRUE;
}
