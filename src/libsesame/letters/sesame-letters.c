/* sesame-letters.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Slips and letters: a batch reads from the store, once, everything its
 * pages show (sesame-letters-collect.c) and the settings, having checked
 * that the operator may print each person, and records one audit entry.
 * Its pages are then drawn without the store (sesame-letters-layout.c), on
 * the main thread for GtkPrintOperation or in a worker for a PDF export.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-letters"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sesame-accounts-private.h"
#include "sesame-document-language-private.h"
#include "sesame-establishments.h"
#include "sesame-letters-layout-private.h"

/**
 * SesameLetterBatch:
 *
 * The slips and letters of a set of accounts, read once from the store by
 * sesame_letter_batch_new(): its pages are drawn, previewed, printed or
 * exported to PDF without the store, on any thread. It holds first
 * passwords: drop it as soon as it is printed.
 */
struct _SesameLetterBatch
{
  GObject             parent_instance;

  SesameLetterContent *content;
  char               *ent_name;
  char               *ent_url;
  char               *letter_text;
  char               *language;  /* the store's document language */
  gint64              date;

  /* What the audit trail records once the pages have left. */
  char               *audit_target;
  char               *audit_detail;

  /* The layout of draw_page(), kept for the thread that draws. */
  SesameLetterLayout *layout;
  GThread            *layout_thread;
};

G_DEFINE_FINAL_TYPE (SesameLetterBatch, sesame_letter_batch, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (SesameLetterQuery, sesame_letter_query,
                     sesame_letter_query_copy, sesame_letter_query_free)

/**
 * sesame_letter_query_new:
 * Makes a query for everything the operator may print; set its fields to
 * narrow it, then pass it to sesame_letter_batch_new().
 *
 * Returns: (transfer full): a query for every account Sésame distributes,
 *   pupils on slips and everyone else on letters
 */
SesameLetterQuery *
sesame_letter_query_new (void)
{
  return g_new0 (SesameLetterQuery, 1);
}

/**
 * sesame_letter_query_copy:
 * @query: a #SesameLetterQuery
 *
 * Copies a query with its strings and arrays, so that a batch read in a
 * thread keeps its own.
 *
 * Returns: (transfer full): a copy of @query, freed with
 *   sesame_letter_query_free()
 */
SesameLetterQuery *
sesame_letter_query_copy (const SesameLetterQuery *query)
{
  SesameLetterQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->class_name = g_strdup (query->class_name);
  copy->establishment = g_strdup (query->establishment);
  copy->logins = g_strdupv (query->logins);
  copy->keys = g_strdupv (query->keys);
  return copy;
}

/**
 * sesame_letter_query_free:
 * @query: (nullable) (transfer full): a #SesameLetterQuery
 *
 * Frees @query, its strings and arrays. %NULL is ignored.
 */
void
sesame_letter_query_free (SesameLetterQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->class_name);
  g_free (query->establishment);
  g_strfreev (query->logins);
  g_strfreev (query->keys);
  g_free (query);
}

/**
 * sesame_letters_default_text:
 *
 * The paragraph of the letters when %SESAME_SETTING_LETTER_TEXT is not set,
 * for the preferences to show. In that setting, `{establishment}` stands
 * for the establishment's name and `{ent}` for the ENT's name.
 *
 * Returns: (transfer none): the translated default paragraph
 */
const char *
sesame_letters_default_text (void)
{
  /* TRANSLATORS: the paragraph of the letters to families. Keep
   * {establishment} and {ent} as they are: they are replaced by the
   * establishment's name and the ENT's name. In French:
   * "{establishment} met à votre disposition {ent}, son espace numérique
   * de travail : emploi du temps, cahier de textes, notes, vie scolaire et
   * messagerie avec l'équipe éducative y sont accessibles à tout moment.
   * Vous trouverez ci-dessous les identifiants de votre compte personnel.
   * Ils vous sont propres : ne les communiquez à personne." */
  return _("{establishment} gives you access to {ent}, its digital workspace: "
           "timetable, homework, marks, school life and messages with the teaching "
           "team are available there at any time. Below are the credentials of your "
           "personal account. They are yours alone: do not share them with anyone.");
}

/**
 * sesame_letters_dup_default_text:
 * @store: a #SesameStore
 *
 * Like sesame_letters_default_text(), in the store's document language:
 * the paragraph the letters print when the store has none of its own.
 *
 * Returns: (transfer full): the default paragraph
 */
char *
sesame_letters_dup_default_text (SesameStore *store)
{
  char *text;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  _sesame_store_push_document_language (store);
  text = g_strdup (sesame_letters_default_text ());
  _sesame_document_language_pop ();
  return text;
}

static void
sesame_letter_batch_finalize (GObject *object)
{
  SesameLetterBatch *self = (SesameLetterBatch *) object;

  g_clear_pointer (&self->layout, _sesame_letter_layout_free);
  g_clear_pointer (&self->content, _sesame_letter_content_free);
  g_clear_pointer (&self->ent_name, g_free);
  g_clear_pointer (&self->ent_url, g_free);
  g_clear_pointer (&self->letter_text, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->audit_target, g_free);
  g_clear_pointer (&self->audit_detail, g_free);

  G_OBJECT_CLASS (sesame_letter_batch_parent_class)->finalize (object);
}

static void
sesame_letter_batch_class_init (SesameLetterBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sesame_letter_batch_finalize;
}

static void
sesame_letter_batch_init (SesameLetterBatch *self)
{
}

static char *
audit_target (const SesameLetterQuery *query,
              SesameLetterBatch       *self)
{
  GPtrArray *items = self->content->items;

  if (items->len == 1)
    return g_strdup (((SesameLetterItem *) g_ptr_array_index (items, 0))->login);
  /* A few people chosen by login (a search, a regeneration): name them
   * all, so that each one's history knows their slip left. */
  if (query->logins != NULL && query->class_name == NULL && query->establishment == NULL)
    {
      g_autoptr(GString) logins = g_string_new (NULL);

      for (guint i = 0; i < items->len; i++)
        {
          if (i > 0)
            g_string_append_c (logins, ' ');
          g_string_append (logins, ((SesameLetterItem *) g_ptr_array_index (items, i))->login);
        }
      return g_string_free (g_steal_pointer (&logins), FALSE);
    }
  if (query->class_name != NULL && query->establishment != NULL)
    return g_strdup_printf ("%s %s", query->establishment, query->class_name);
  if (query->class_name != NULL)
    return g_strdup (query->class_name);
  if (query->establishment != NULL)
    return g_strdup (query->establishment);
  return g_strdup ("");
}

static gboolean
setting_is_set (SesameStore *store,
                const char  *key)
{
  g_autofree char *value = sesame_store_settings_dup (store, key, "");

  return *g_strstrip (value) != '\0';
}

/* Families must never read a made-up name or address: until both are set,
 * nothing is printed. */
static gboolean
check_ent_settings (SesameStore  *store,
                    GError      **error)
{
  if (!setting_is_set (store, SESAME_SETTING_ENT_URL))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET,
                           _("The ENT's address is not set, so slips and letters cannot tell families "
                             "where to sign in. An administrator sets it in the Preferences "
                             "(or with “sesamectl settings set ent-url URL”)."));
      return FALSE;
    }
  if (!setting_is_set (store, SESAME_SETTING_ENT_NAME))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET,
                           _("The ENT's name is not set, so slips and letters cannot say which "
                             "service the account opens. An administrator sets it in the Preferences "
                             "(or with “sesamectl settings set ent-name NAME”)."));
      return FALSE;
    }
  return TRUE;
}

/**
 * sesame_letter_batch_new:
 * @store: a #SesameStore
 * @query: which accounts to print
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the slips and letters of the accounts matching @query: names,
 * classes, logins, the first passwords that work now (or a mention that
 * the password was already personalised), the establishments' headers and
 * the ENT's name, address and letter text from the store's settings.
 *
 * Nothing is printed until an administrator has set the ENT's name and
 * address: the error is then %SESAME_ERROR_ENT_NOT_SET.
 *
 * Academy staff and disabled accounts are never printed. The operator must
 * be allowed to print every person of the batch: if one is outside the
 * scope of their identifier manager role, the whole batch is refused with
 * an error naming that person. Reading is not printing: the audit trail
 * records the batch only when sesame_letter_batch_record_printed() says
 * its pages left.
 *
 * This blocks on the store: run it in a worker thread with a store of its
 * own (sesame_store_dup()). The batch then needs no store: its pages can
 * be drawn on any thread.
 *
 * Returns: (transfer full): the batch, or %NULL with @error set
 */
SesameLetterBatch *
sesame_letter_batch_new (SesameStore              *store,
                         const SesameLetterQuery  *query,
                         GCancellable             *cancellable,
                         GError                  **error)
{
  g_autoptr(SesameLetterBatch) self = NULL;
  g_autoptr(SesameEstablishment) establishment = NULL;
  g_autoptr(SesameLetterQuery) narrowed = NULL;
  g_autoptr(SesameLetterContent) content = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sesame_store_operator_check_permission (store, SESAME_PERMISSION_PRINT, NULL, error))
    return NULL;

  if (query->profile != SESAME_PROFILE_NONE && !sesame_profile_is_distributable (query->profile))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("Academy staff sign in with their academic credentials: "
                             "no slip or letter is printed for them."));
      return NULL;
    }

  narrowed = sesame_letter_query_copy (query);
  if (narrowed->class_name != NULL)
    {
      g_strstrip (narrowed->class_name);
      if (*narrowed->class_name == '\0')
        g_clear_pointer (&narrowed->class_name, g_free);
    }
  if (narrowed->establishment != NULL)
    {
      establishment = sesame_establishments_find (store, narrowed->establishment, error);
      if (establishment == NULL)
        return NULL;
      g_free (narrowed->establishment);
      narrowed->establishment = g_strdup (establishment->uai);
    }

  if (!check_ent_settings (store, error))
    return NULL;

  content = _sesame_letter_content_collect (store, narrowed, cancellable, error);
  if (content == NULL)
    return NULL;

  self = g_object_new (SESAME_TYPE_LETTER_BATCH, NULL);
  self->content = g_steal_pointer (&content);
  self->ent_name = g_strstrip (sesame_store_settings_dup (store, SESAME_SETTING_ENT_NAME, ""));
  self->ent_url = g_strstrip (sesame_store_settings_dup (store, SESAME_SETTING_ENT_URL, ""));
  self->letter_text = sesame_store_settings_dup (store, SESAME_SETTING_LETTER_TEXT, NULL);
  self->language = sesame_store_language_dup (store);
  if (self->letter_text == NULL || *g_strstrip (self->letter_text) == '\0')
    {
      g_free (self->letter_text);
      _sesame_document_language_push_code (self->language);
      self->letter_text = g_strdup (sesame_letters_default_text ());
      _sesame_document_language_pop ();
    }
  self->date = sesame_store_now (store);

  self->audit_target = audit_target (narrowed, self);
  self->audit_detail = g_strdup_printf ("%u", self->content->items->len);

  return g_steal_pointer (&self);
}

/**
 * sesame_letter_batch_record_printed:
 * @self: a #SesameLetterBatch
 * @store: the store it was read from, as the operator who prints
 * @error: return location for a #GError
 *
 * Writes one entry of the audit trail for the batch (never a password):
 * call it only once its pages were sent to a printer or written to a
 * file, never when the print dialog was cancelled or printing failed.
 *
 * It writes to @store, in the thread that uses it, and fails with
 * the store's (%SESAME_ERROR_BUSY, %SESAME_ERROR_FAILED) errors.
 *
 * Returns: %TRUE if the entry was written
 */
gboolean
sesame_letter_batch_record_printed (SesameLetterBatch  *self,
                                    SesameStore        *store,
                                    GError            **error)
{
  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), FALSE);
  g_return_val_if_fail (SESAME_IS_STORE (store), FALSE);

  return _sesame_store_audit (store, "print", self->audit_target, self->audit_detail, error);
}

/**
 * sesame_letter_batch_get_n_pages:
 * @self: a #SesameLetterBatch
 *
 * Counts the pages, for the print dialog and the preview.
 *
 * Returns: how many A4 pages the batch prints
 */
guint
sesame_letter_batch_get_n_pages (SesameLetterBatch *self)
{
  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), 0);
  return self->content->pages->len;
}

/**
 * sesame_letter_batch_get_n_items:
 * @self: a #SesameLetterBatch
 *
 * Counts the accounts the batch covers, for the window to say what will be
 * printed.
 *
 * Returns: how many accounts the batch prints, slips and letters together
 */
guint
sesame_letter_batch_get_n_items (SesameLetterBatch *self)
{
  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), 0);
  return self->content->items->len;
}

/**
 * sesame_letter_batch_get_n_slips:
 * @self: a #SesameLetterBatch
 *
 * Counts the accounts printed on slips, several to a page.
 *
 * Returns: how many slips the batch prints
 */
guint
sesame_letter_batch_get_n_slips (SesameLetterBatch *self)
{
  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), 0);
  return self->content->n_slips;
}

/**
 * sesame_letter_batch_get_n_letters:
 * @self: a #SesameLetterBatch
 *
 * Counts the accounts printed as letters.
 *
 * Returns: how many letters the batch prints
 */
guint
sesame_letter_batch_get_n_letters (SesameLetterBatch *self)
{
  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), 0);
  return self->content->n_letters;
}

/**
 * sesame_letter_batch_get_n_expired:
 * @self: a #SesameLetterBatch
 *
 * Accounts that never signed in and whose first password expired print a
 * request to ask the school office for a new one instead: the interface
 * should offer to regenerate those passwords first.
 *
 * Returns: how many of the batch's accounts have no first password left
 */
guint
sesame_letter_batch_get_n_expired (SesameLetterBatch *self)
{
  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), 0);
  return self->content->n_expired;
}

static SesameLetterLayout *
new_layout (SesameLetterBatch *self)
{
  SesameLetterSettings settings = {
    .ent_name = self->ent_name,
    .ent_url = self->ent_url,
    .letter_text = self->letter_text,
    .date = self->date,
  };

  return _sesame_letter_layout_new (&settings);
}

/* Draws one page in A4 points; cr's matrix already maps A4 onto the
 * paper. The kind of page picks its drawing: the layout's toolkit serves
 * both and knows neither. */
static void
draw_layout_page (SesameLetterLayout       *self,
                  cairo_t                  *cr,
                  const SesameLetterPage   *page,
                  SesameLetterItem * const *items)
{
  g_assert (self != NULL);
  g_assert (page != NULL && page->n_items > 0);

  /* The context is never updated from cr: every size and line break is
   * chosen in A4 points, whatever the target's scale and font options, so
   * that a preview on screen, GtkPrintOperation and the PDF export show
   * the same page. */
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, PAGE_W, PAGE_H);
  cairo_fill (cr);

  if (page->slip)
    _sesame_letter_draw_slip_page (self, cr, page, items);
  else
    _sesame_letter_draw_letter_page (self, cr, items[0]);
  cairo_restore (cr);
}

static void
draw_page (SesameLetterBatch  *self,
           SesameLetterLayout *layout,
           cairo_t            *cr,
           guint               page_nr,
           double              width_pt,
           double              height_pt)
{
  const SesameLetterPage *page = &g_array_index (self->content->pages, SesameLetterPage, page_nr);
  double scale;

  /* The pages are laid out on A4; other paper gets them scaled to fit and
   * centred, so that the page count never depends on the printer. */
  scale = MIN (width_pt / SESAME_LETTERS_PAGE_WIDTH, height_pt / SESAME_LETTERS_PAGE_HEIGHT);
  if (scale <= 0)
    return;

  cairo_save (cr);
  cairo_translate (cr,
                   (width_pt - SESAME_LETTERS_PAGE_WIDTH * scale) / 2,
                   (height_pt - SESAME_LETTERS_PAGE_HEIGHT * scale) / 2);
  cairo_scale (cr, scale, scale);
  draw_layout_page (layout, cr, page,
                    (SesameLetterItem * const *) self->content->items->pdata + page->first);
  cairo_restore (cr);
}

/**
 * sesame_letter_batch_draw_page:
 * @self: a #SesameLetterBatch
 * @cr: where to draw, with the origin at the paper's top left corner
 * @page: the page, from 0
 * @width_pt: the paper's width in points
 * @height_pt: the paper's height in points
 *
 * Draws one page, as GtkPrintOperation's #GtkPrintOperation::draw-page
 * does: pass the print context's cairo context, width and height. The
 * address of the letters is placed for a window envelope, so the print
 * operation should use the full page
 * (gtk_print_operation_set_use_full_page()). Pages are laid out on A4;
 * other paper gets them scaled to fit.
 */
void
sesame_letter_batch_draw_page (SesameLetterBatch *self,
                               cairo_t           *cr,
                               guint              page,
                               double             width_pt,
                               double             height_pt)
{
  g_return_if_fail (SESAME_IS_LETTER_BATCH (self));
  g_return_if_fail (cr != NULL);
  g_return_if_fail (page < self->content->pages->len);

  /* The page speaks the document language; the print dialog around it
   * keeps the desk's. */
  _sesame_document_language_push_code (self->language);

  /* Pango's font maps belong to a thread: keep a layout per drawing thread. */
  if (self->layout == NULL || self->layout_thread != g_thread_self ())
    {
      g_clear_pointer (&self->layout, _sesame_letter_layout_free);
      self->layout = new_layout (self);
      self->layout_thread = g_thread_self ();
    }

  draw_page (self, self->layout, cr, page, width_pt, height_pt);
  _sesame_document_language_pop ();
}

/* cairo's PDF surface compresses each page with a new zlib stream, whose
 * buffers (about 256 kB) are freed at the top of the heap: glibc then gives
 * them back to the kernel and asks for them again at the next page, a
 * costly round trip repeated for every letter. Keeping up to 32 MB of free
 * memory in the process avoids it. */
static void
keep_freed_memory (void)
{
#ifdef __GLIBC__
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      mallopt (M_TRIM_THRESHOLD, 32 * 1024 * 1024);
      g_once_init_leave (&done, 1);
    }
#endif
}

static cairo_status_t
write_to_file (void                *closure,
               const unsigned char *data,
               unsigned int         length)
{
  if (fwrite (data, 1, length, closure) != length)
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * sesame_letter_batch_export_pdf:
 * @self: a #SesameLetterBatch
 * @path: the PDF file to write
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes every page to an A4 PDF file, readable by its owner only: it
 * holds passwords. The file appears complete or not at all. Needs no
 * display; may run in a worker thread.
 *
 * It fails with %SESAME_ERROR_INVALID when @path cannot be created (a
 * folder where one may not write), %SESAME_ERROR_FAILED when writing fails
 * midway (a full disk), naming the file, or %G_IO_ERROR_CANCELLED, leaving
 * no file behind.
 *
 * Returns: %TRUE on success
 */
gboolean
sesame_letter_batch_export_pdf (SesameLetterBatch  *self,
                                const char         *path,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(SesameLetterLayout) layout = NULL;
  g_autofree char *tmp_path = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean cancelled = FALSE;
  FILE *file;
  int fd, saved_errno = 0;

  g_return_val_if_fail (SESAME_IS_LETTER_BATCH (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  keep_freed_memory ();

  /* A private temporary file beside the target, renamed when complete. */
  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0 || (file = fdopen (fd, "wb")) == NULL)
    {
      saved_errno = errno;
      if (fd >= 0)
        {
          close (fd);
          g_unlink (tmp_path);
        }
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s. Choose a folder where you may create files."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  surface = cairo_pdf_surface_create_for_stream (write_to_file, file,
                                                 SESAME_LETTERS_PAGE_WIDTH,
                                                 SESAME_LETTERS_PAGE_HEIGHT);
  _sesame_document_language_push_code (self->language);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("ENT credentials"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Sésame " PACKAGE_VERSION);
  cr = cairo_create (surface);
  layout = new_layout (self);

  for (guint i = 0; i < self->content->pages->len; i++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          cancelled = TRUE;
          break;
        }
      draw_page (self, layout, cr, i, SESAME_LETTERS_PAGE_WIDTH, SESAME_LETTERS_PAGE_HEIGHT);
      cairo_show_page (cr);
    }

  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_clear_pointer (&layout, _sesame_letter_layout_free);
  _sesame_document_language_pop ();

  if (fflush (file) != 0 || fsync (fileno (file)) != 0)
    saved_errno = errno;
  if (fclose (file) != 0 && saved_errno == 0)
    saved_errno = errno;

  if (cancelled)
    {
      g_unlink (tmp_path);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }
  if (status != CAIRO_STATUS_SUCCESS || saved_errno != 0)
    {
      g_unlink (tmp_path);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_FAILED,
                   _("Cannot write %s: %s. Check that the disk is not full."),
                   path, saved_errno != 0 ? g_strerror (saved_errno) : cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp_path, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot write %s: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
