/* sesame-sync-scheduler.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A desk works on its own store and syncs in the background: this object
 * runs sesame_sync_client_run_round() every SESAME_SYNC_DEFAULT_INTERVAL
 * seconds, and at once when the desk's outbox receives a change
 * (SesameStore::outbox-changed), so that a change reaches the other desks
 * within seconds. Rounds run on a worker thread with a connection of
 * their own (a connection is used by one thread at a time), one at a
 * time: a change made during a round starts another right after it.
 * While the server cannot be reached the rounds space out, up to
 * SESAME_SYNC_MAX_BACKOFF seconds, and the desk works on; its properties
 * say where it stands for the window's header bar and for `sesamectl sync
 * --follow`.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-sync"

#include <glib/gi18n-lib.h>

#include "sesame-error.h"
#include "sesame-sync-desk.h"
#include "sesame-sync-scheduler.h"

struct _SesameSyncScheduler
{
  GObject          parent_instance;

  /* The connection whose commits poke the scheduler; the rounds' own. */
  SesameStore     *store;
  SesameStore     *worker;
  gulong           outbox_handler;
  guint            timeout_id;
  /* Seconds to wait after a failed round: 0 while the server answers. */
  guint            backoff;
  guint            running : 1;
  guint            again : 1;
  guint            stopped : 1;

  SesameSyncState  state;
  guint            pending;
  gint64           offline_since;
  gint64           last_sync;
  guint            conflicts;
  GPtrArray       *last_refusals;
  char            *last_error;
  guint            rounds;
};

/**
 * SesameSyncScheduler:
 *
 * Keeps a desk in step with its server in the background: a round every
 * %SESAME_SYNC_DEFAULT_INTERVAL seconds and one at once after each local
 * change, never two at once, spaced out while the server cannot be
 * reached. Its properties say where the desk stands.
 */
G_DEFINE_FINAL_TYPE (SesameSyncScheduler, sesame_sync_scheduler, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (SesameSyncState, sesame_sync_state,
                    G_DEFINE_ENUM_VALUE (SESAME_SYNC_STATE_SYNCED, "synced"),
                    G_DEFINE_ENUM_VALUE (SESAME_SYNC_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (SESAME_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (SESAME_SYNC_STATE_CONFLICTS, "conflicts"),
                    G_DEFINE_ENUM_VALUE (SESAME_SYNC_STATE_REFUSED, "refused"))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATE,
  PROP_PENDING,
  PROP_OFFLINE_SINCE,
  PROP_LAST_SYNC,
  PROP_CONFLICTS,
  PROP_LAST_REFUSALS,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROUND_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a round did, handed from the worker thread to the main one. */
typedef struct
{
  gboolean              ok;
  GError               *error;
  SesameSyncRoundReport report;
  SesameSyncStatus      status;
  gboolean              have_status;
} RoundResult;

static void
round_result_free (RoundResult *result)
{
  g_clear_error (&result->error);
  sesame_sync_round_report_clear (&result->report);
  sesame_sync_status_clear (&result->status);
  g_free (result);
}

static void start_round (SesameSyncScheduler *self);

static void
set_uint (SesameSyncScheduler *self,
          guint               *field,
          guint                value,
          guint                prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (SesameSyncScheduler *self,
           gint64              *field,
           gint64               value,
           guint                prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (SesameSyncScheduler *self,
           SesameSyncState      state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (SesameSyncScheduler *self,
                const char          *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
take_status (SesameSyncScheduler    *self,
             const SesameSyncStatus *status)
{
  set_uint (self, &self->pending, status->pending, PROP_PENDING);
  set_uint (self, &self->conflicts, status->conflicts, PROP_CONFLICTS);
  set_int64 (self, &self->last_sync, status->last_sync, PROP_LAST_SYNC);
}

static void
run_round (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  SesameStore *worker = task_data;
  RoundResult *result = g_new0 (RoundResult, 1);
  g_autoptr(GError) status_error = NULL;

  result->ok = sesame_sync_client_run_round (worker, &result->report, &result->error);
  /* Whatever the round did, the outbox and the conflicts are read again:
   * offline, the pending changes go on counting. */
  result->have_status = sesame_sync_desk_get_status (worker, &result->status, &status_error);
  if (!result->have_status)
    g_debug ("Cannot read where desk %s stands: %s", sesame_store_get_path (worker), status_error->message);
  g_task_return_pointer (task, result, (GDestroyNotify) round_result_free);
}

static gboolean
on_timeout (gpointer data)
{
  SesameSyncScheduler *self = data;

  self->timeout_id = 0;
  start_round (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (SesameSyncScheduler *self,
          guint                seconds)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  /* Milliseconds: g_timeout_add_seconds() may fire a second late, which
   * the delay from desk to desk cannot afford. */
  self->timeout_id = g_timeout_add (seconds * 1000, on_timeout, self);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

static void
round_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(SesameSyncScheduler) self = g_weak_ref_get (user_data);
  RoundResult *result = g_task_propagate_pointer (G_TASK (res), NULL);
  SesameSyncState state;

  weak_ref_free (user_data);
  /* Gone meanwhile: the round's work is in the store all the same. */
  if (self == NULL)
    {
      round_result_free (result);
      return;
    }

  self->running = FALSE;
  self->rounds++;
  g_object_freeze_notify (G_OBJECT (self));
  if (result->have_status)
    take_status (self, &result->status);
  if (result->ok)
    {
      self->backoff = 0;
      set_int64 (self, &self->offline_since, 0, PROP_OFFLINE_SINCE);
      set_last_error (self, NULL);
      /* The refusals stay those of the last round that pushed something. */
      if (result->report.accepted > 0 || result->report.refused->len > 0)
        {
          g_clear_pointer (&self->last_refusals, g_ptr_array_unref);
          self->last_refusals = g_ptr_array_ref (result->report.refused);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REFUSALS]);
        }
      if (result->report.refused->len > 0)
        state = SESAME_SYNC_STATE_REFUSED;
      else if (self->conflicts > 0)
        state = SESAME_SYNC_STATE_CONFLICTS;
      else
        state = SESAME_SYNC_STATE_SYNCED;
    }
  else
    {
      self->backoff = self->backoff == 0 ? 2 * SESAME_SYNC_DEFAULT_INTERVAL
                                         : MIN (2 * self->backoff, SESAME_SYNC_MAX_BACKOFF);
      set_last_error (self, result->error->message);
      if (g_error_matches (result->error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
        {
          if (self->offline_since == 0)
            set_int64 (self, &self->offline_since, sesame_store_now (self->store), PROP_OFFLINE_SINCE);
          state = SESAME_SYNC_STATE_OFFLINE;
        }
      else
        state = SESAME_SYNC_STATE_REFUSED;
    }
  set_state (self, state);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[ROUND_FINISHED], 0, result->ok ? &result->report : NULL, result->error);
  round_result_free (result);

  if (self->stopped)
    return;
  if (self->again)
    {
      self->again = FALSE;
      start_round (self);
    }
  else
    schedule (self, self->backoff > 0 ? self->backoff : SESAME_SYNC_DEFAULT_INTERVAL);
}

static void
start_round (SesameSyncScheduler *self)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_assert (!self->running);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->running = TRUE;
  set_state (self, SESAME_SYNC_STATE_SYNCING);
  /* The task holds the scheduler by a weak reference: a window closed
   * during a round does not wait for it, and the scheduler is never let
   * go on the worker thread. */
  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, NULL, round_done, ref);
  g_task_set_source_tag (task, start_round);
  g_task_set_task_data (task, g_object_ref (self->worker), g_object_unref);
  g_task_run_in_thread (task, run_round);
}

static void
on_outbox_changed (SesameSyncScheduler *self)
{
  sesame_sync_scheduler_poke (self);
}

static void
sesame_sync_scheduler_dispose (GObject *object)
{
  SesameSyncScheduler *self = (SesameSyncScheduler *) object;

  sesame_sync_scheduler_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (sesame_sync_scheduler_parent_class)->dispose (object);
}

static void
sesame_sync_scheduler_finalize (GObject *object)
{
  SesameSyncScheduler *self = (SesameSyncScheduler *) object;

  g_clear_pointer (&self->last_refusals, g_ptr_array_unref);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (sesame_sync_scheduler_parent_class)->finalize (object);
}

static void
sesame_sync_scheduler_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SesameSyncScheduler *self = SESAME_SYNC_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_OFFLINE_SINCE:
      g_value_set_int64 (value, self->offline_since);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    case PROP_LAST_REFUSALS:
      g_value_set_boxed (value, self->last_refusals);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_sync_scheduler_class_init (SesameSyncSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sesame_sync_scheduler_dispose;
  object_class->finalize = sesame_sync_scheduler_finalize;
  object_class->get_property = sesame_sync_scheduler_get_property;

  /**
   * SesameSyncScheduler:store:
   *
   * The desk's store, whose changes start a round at once.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SESAME_TYPE_STORE, flags);

  /**
   * SesameSyncScheduler:state:
   *
   * Where the desk stands: %SESAME_SYNC_STATE_SYNCING while a round
   * runs, then what the round found.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SESAME_TYPE_SYNC_STATE, SESAME_SYNC_STATE_SYNCED, flags);

  /**
   * SesameSyncScheduler:pending:
   *
   * The changes of this desk not yet back in the server's feed, as read
   * after the last round.
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * SesameSyncScheduler:offline-since:
   *
   * When the first of the rounds that could not reach the server ran
   * (seconds since the epoch, on the store's clock), or 0 while it
   * answers.
   */
  properties[PROP_OFFLINE_SINCE] =
    g_param_spec_int64 ("offline-since", NULL, NULL, 0, G_MAXINT64, 0, flags);

  /**
   * SesameSyncScheduler:last-sync:
   *
   * When a page of the server's feed was last applied (seconds since the
   * epoch), or 0 if never.
   */
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, flags);

  /**
   * SesameSyncScheduler:conflicts:
   *
   * The conflicts and refused changes not yet dismissed.
   */
  properties[PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0, flags);

  /**
   * SesameSyncScheduler:last-refusals: (type GPtrArray(SesameSyncRefusal))
   *
   * The changes the server refused in the last round that sent something,
   * each with the server's reason, or %NULL before such a round.
   */
  properties[PROP_LAST_REFUSALS] =
    g_param_spec_boxed ("last-refusals", NULL, NULL, G_TYPE_PTR_ARRAY, flags);

  /**
   * SesameSyncScheduler:last-error:
   *
   * Why the last round failed, for the person reading it, or %NULL when
   * it went through.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SesameSyncScheduler::round-finished:
   * @self: the scheduler
   * @report: (nullable) (type gpointer): the #SesameSyncRoundReport of
   *   the round, or %NULL when it failed
   * @error: (nullable): why the round failed, or %NULL
   *
   * A round ended; the properties already say where the desk stands.
   */
  signals[ROUND_FINISHED] =
    g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ERROR);
}

static void
sesame_sync_scheduler_init (SesameSyncScheduler *self)
{
  self->state = SESAME_SYNC_STATE_SYNCED;
}

/**
 * sesame_sync_scheduler_new:
 * @store: the store of a desk joined to a server
 * @error: return location for a #GError
 *
 * Starts syncing @store in the background: a first round at once, then
 * one every %SESAME_SYNC_DEFAULT_INTERVAL seconds and one after each
 * change committed through @store or a connection sesame_store_dup()
 * opened from it. Rounds need the thread-default main context to be the
 * default one, where their results arrive.
 *
 * Returns: (transfer full): a new #SesameSyncScheduler, or %NULL with
 *   @error set (%SESAME_SYNC_CLIENT_ERROR_NOT_JOINED for a standalone
 *   store)
 */
SesameSyncScheduler *
sesame_sync_scheduler_new (SesameStore  *store,
                           GError      **error)
{
  g_autoptr(SesameSyncScheduler) self = NULL;
  g_auto(SesameSyncStatus) status = { 0 };

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  if (!sesame_sync_desk_get_status (store, &status, error))
    return NULL;
  if (status.server == NULL)
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                   _("The store %s joined no server: there is nothing to synchronise."),
                   sesame_store_get_path (store));
      return NULL;
    }

  self = g_object_new (SESAME_TYPE_SYNC_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->worker = sesame_store_dup (store, error);
  if (self->worker == NULL)
    return NULL;
  take_status (self, &status);
  if (status.conflicts > 0)
    self->state = SESAME_SYNC_STATE_CONFLICTS;
  self->outbox_handler = g_signal_connect_object (store, "outbox-changed", G_CALLBACK (on_outbox_changed),
                                                  self, G_CONNECT_SWAPPED);
  start_round (self);
  return g_steal_pointer (&self);
}

/**
 * sesame_sync_scheduler_get_store:
 * @self: a #SesameSyncScheduler
 *
 * Reads the store whose changes start a round.
 *
 * Returns: (transfer none): the desk's store
 */
SesameStore *
sesame_sync_scheduler_get_store (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), NULL);
  return self->store;
}

/**
 * sesame_sync_scheduler_poke:
 * @self: a #SesameSyncScheduler
 *
 * Runs a round at once, even while the server cannot be reached, or right
 * after the one running: the desk has something new to send.
 */
void
sesame_sync_scheduler_poke (SesameSyncScheduler *self)
{
  g_return_if_fail (SESAME_IS_SYNC_SCHEDULER (self));

  if (self->stopped)
    return;
  if (self->running)
    self->again = TRUE;
  else
    start_round (self);
}

/**
 * sesame_sync_scheduler_stop:
 * @self: a #SesameSyncScheduler
 *
 * Starts no more rounds. A round under way ends on its own, on its own
 * connection (it applies the server's feed in one transaction: it is
 * never cut in the middle). Disposing of the scheduler stops it too.
 */
void
sesame_sync_scheduler_stop (SesameSyncScheduler *self)
{
  g_return_if_fail (SESAME_IS_SYNC_SCHEDULER (self));

  self->stopped = TRUE;
  self->again = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->outbox_handler != 0 && self->store != NULL)
    g_clear_signal_handler (&self->outbox_handler, self->store);
}

/**
 * sesame_sync_scheduler_get_state:
 * @self: a #SesameSyncScheduler
 *
 * Reads where the desk stands with its server.
 *
 * Returns: where the desk stands, as #SesameSyncScheduler:state says
 */
SesameSyncState
sesame_sync_scheduler_get_state (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), SESAME_SYNC_STATE_SYNCED);
  return self->state;
}

/**
 * sesame_sync_scheduler_get_pending:
 * @self: a #SesameSyncScheduler
 *
 * Reads how many changes of this desk wait to be sent.
 *
 * Returns: the changes waiting to be sent, as #SesameSyncScheduler:pending
 */
guint
sesame_sync_scheduler_get_pending (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), 0);
  return self->pending;
}

/**
 * sesame_sync_scheduler_get_offline_since:
 * @self: a #SesameSyncScheduler
 *
 * Reads since when the server has not answered.
 *
 * Returns: when the server stopped answering, or 0, as
 *   #SesameSyncScheduler:offline-since
 */
gint64
sesame_sync_scheduler_get_offline_since (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), 0);
  return self->offline_since;
}

/**
 * sesame_sync_scheduler_get_last_sync:
 * @self: a #SesameSyncScheduler
 *
 * Reads when the server's feed was last applied.
 *
 * Returns: when the feed was last applied, as #SesameSyncScheduler:last-sync
 */
gint64
sesame_sync_scheduler_get_last_sync (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), 0);
  return self->last_sync;
}

/**
 * sesame_sync_scheduler_get_conflicts:
 * @self: a #SesameSyncScheduler
 *
 * Reads how many conflicts wait to be dismissed.
 *
 * Returns: the conflicts not dismissed, as #SesameSyncScheduler:conflicts
 */
guint
sesame_sync_scheduler_get_conflicts (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), 0);
  return self->conflicts;
}

/**
 * sesame_sync_scheduler_get_last_refusals:
 * @self: a #SesameSyncScheduler
 *
 * Reads the changes the server refused, with its reasons.
 *
 * Returns: (transfer none) (nullable) (element-type SesameSyncRefusal):
 *   the changes refused in the last round that sent something
 */
GPtrArray *
sesame_sync_scheduler_get_last_refusals (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), NULL);
  return self->last_refusals;
}

/**
 * sesame_sync_scheduler_get_last_error:
 * @self: a #SesameSyncScheduler
 *
 * Reads why the last round failed.
 *
 * Returns: (nullable): why the last round failed, or %NULL
 */
const char *
sesame_sync_scheduler_get_last_error (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), NULL);
  return self->last_error;
}

/**
 * sesame_sync_scheduler_get_rounds:
 * @self: a #SesameSyncScheduler
 *
 * Counts the rounds run, for tests and diagnostics.
 *
 * Returns: how many rounds have ended since the scheduler started
 */
guint
sesame_sync_scheduler_get_rounds (SesameSyncScheduler *self)
{
  g_return_val_if_fail (SESAME_IS_SYNC_SCHEDULER (self), 0);
  return self->rounds;
}
