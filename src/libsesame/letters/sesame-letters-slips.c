/* sesame-letters-slips.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages of slips: 2 × 4 slips on an A4 page under a header naming the
 * class, dotted cut lines around each slip and crop marks in the margins,
 * so that a main teacher cuts them with a guillotine or scissors.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-letters"

#include <glib/gi18n-lib.h>

#include "sesame-document-language-private.h"
#include "sesame-letters-layout-private.h"

#define MARGIN_X     MM (10)
#define GRID_TOP     MM (26)
#define GRID_BOTTOM  (PAGE_H - MM (10))
#define GRID_W       (PAGE_W - 2 * MARGIN_X)
#define CELL_W       (GRID_W / SESAME_SLIP_COLUMNS)
#define CELL_H       ((GRID_BOTTOM - GRID_TOP) / SESAME_SLIP_ROWS)
#define PADDING_X    MM (5.5)
#define PADDING_Y    MM (4.5)
#define INNER_W      (CELL_W - 2 * PADDING_X)
#define QR_SIZE      MM (25)
#define COLUMN_W     (INNER_W - QR_SIZE - MM (4))
#define ROW_GAP      MM (1.5)

/* The line under a name: the pupil's class, the parent's children. */
static char *
describe_person (const SesameLetterItem *item)
{
  if (item->profile == SESAME_PROFILE_ELEVE && *item->class_name != '\0')
    /* TRANSLATORS: under a pupil's name; French "Classe %s" */
    return g_strdup_printf (_("Class %s"), item->class_name);

  if (item->profile == SESAME_PROFILE_PARENT && item->children != NULL && item->children->len > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < item->children->len; i++)
        {
          SesameLetterChild *child = g_ptr_array_index (item->children, i);

          if (i > 0)
            g_string_append (names, ", ");
          g_string_append (names, child->name);
        }
      /* TRANSLATORS: under a parent's name on a slip; French "Responsable de %s" */
      return g_strdup_printf (_("Parent of %s"), names->str);
    }

  return g_strdup (sesame_profile_to_label (item->profile));
}

/* What every slip of an establishment and a password state shows, from the
 * slip's top left corner: its top line and its footer. Returns where the
 * footer starts, from the slip's top. */
static const char *
slip_footer (const SesameLetterItem *item)
{
  switch (item->password_state)
    {
    case SESAME_LETTER_PASSWORD_LIVE:
      return _("At your first sign-in, choose your own password. Keep it secret.");
    case SESAME_LETTER_PASSWORD_PERSONALISED:
      return _("Forgotten your password? Ask the school office for a new one.");
    case SESAME_LETTER_PASSWORD_EXPIRED:
    default:
      return _("This first password has expired: ask the school office for a new one.");
    }
}

static double
draw_slip_frame (SesameLetterLayout *self,
                 cairo_t            *cr,
                 gconstpointer       data)
{
  const SesameLetterItem *item = data;
  const char *footer = slip_footer (item);
  double footer_top;

  _sesame_letter_draw_text (self, cr, self->ent_name, FONT_SMALL_BOLD, INK_ACCENT, TEXT_RIGHT | TEXT_WRAP, 2,
                            PADDING_X + INNER_W - QR_SIZE, PADDING_Y, QR_SIZE);
  if (item->establishment != NULL)
    _sesame_letter_draw_text (self, cr, item->establishment->name, FONT_SMALL, INK_MUTED,
                              TEXT_LINE, 1, PADDING_X, PADDING_Y, INNER_W - QR_SIZE - MM (2));

  footer_top = CELL_H - PADDING_Y
               - _sesame_letter_measure_text (self, footer, FONT_SMALL_ITALIC, TEXT_WRAP, 2, INNER_W);
  _sesame_letter_draw_text (self, cr, footer, FONT_SMALL_ITALIC, INK_MUTED, TEXT_WRAP, 2,
                            PADDING_X, footer_top, INNER_W);
  return footer_top;
}

/* The ENT's name, top right, may take two lines: the name of the person
 * starts below whichever of it and the establishment's name is lower. */
static double
header_height (SesameLetterLayout     *self,
               const SesameLetterItem *item)
{
  double height = _sesame_letter_measure_text (self, self->ent_name, FONT_SMALL_BOLD,
                                               TEXT_RIGHT | TEXT_WRAP, 2, QR_SIZE);

  if (item->establishment != NULL)
    height = MAX (height, _sesame_letter_measure_text (self, item->establishment->name, FONT_SMALL,
                                                       TEXT_LINE, 1, INNER_W - QR_SIZE - MM (2)));
  return MAX (height, _sesame_letter_line_height (self, FONT_SMALL));
}

/* The QR code of the ENT's address, right of the credentials. */
static double
draw_slip_qr (SesameLetterLayout *self,
              cairo_t            *cr,
              gconstpointer       data)
{
  _sesame_letter_draw_qr (self, cr, INNER_W - QR_SIZE, 0, QR_SIZE);
  return QR_SIZE;
}

/* The label and the ENT's address, under the credentials and the QR code. */
static double
draw_slip_address (SesameLetterLayout *self,
                   cairo_t            *cr,
                   gconstpointer       data)
{
  double y = 0;

  /* TRANSLATORS: a label on a slip, above the ENT's web address; French "Adresse" */
  y += _sesame_letter_draw_text (self, cr, C_("slip", "Address"), FONT_TINY, INK_MUTED, TEXT_LINE, 1,
                                 0, y, INNER_W);
  y += _sesame_letter_draw_text (self, cr, self->ent_url, FONT_SMALL_BOLD, INK_ACCENT, TEXT_WRAP, 2,
                                 0, y, INNER_W);
  return y;
}

/* What is particular to a slip, from the top of the space between its
 * header and its footer; with no cr, only measures it. Returns its height. */
static double
draw_slip_body (SesameLetterLayout     *self,
                cairo_t                *cr,
                const SesameLetterItem *item,
                const char             *description)
{
  double y = 0, credentials;

  y += _sesame_letter_draw_text (self, cr, item->display_name, FONT_NAME, INK_TEXT,
                                 TEXT_WRAP, 2, 0, y, INNER_W);
  y += _sesame_letter_draw_text (self, cr, description, FONT_SMALL, INK_MUTED, TEXT_WRAP, 2,
                                 0, y, INNER_W);
  y += MM (1.5);
  _sesame_letter_draw_line (cr, INK_RULE, 0.4, 0, y, INNER_W, y);
  y += MM (2.5);

  _sesame_letter_paint_block (self, cr, "slip-qr", draw_slip_qr, item, 0, y);
  credentials = y;

  /* TRANSLATORS: a label on a slip, above the login; French "Identifiant" */
  y += _sesame_letter_draw_text (self, cr, C_("slip", "Login"), FONT_TINY, INK_MUTED, TEXT_LINE, 1,
                                 0, y, COLUMN_W);
  y += MAX (_sesame_letter_draw_credential (self, cr, item->login, 0, y, COLUMN_W),
            _sesame_letter_line_height (self, FONT_CREDENTIAL));
  y += ROW_GAP;

  /* TRANSLATORS: a label on a slip, above the password; French "Mot de passe" */
  y += _sesame_letter_draw_text (self, cr, C_("slip", "Password"), FONT_TINY, INK_MUTED, TEXT_LINE, 1,
                                 0, y, COLUMN_W);
  if (item->password_state == SESAME_LETTER_PASSWORD_LIVE)
    y += MAX (_sesame_letter_draw_credential (self, cr, item->password, 0, y, COLUMN_W),
              _sesame_letter_line_height (self, FONT_CREDENTIAL));
  else
    y += MAX (_sesame_letter_draw_text (self, cr, _sesame_letter_password_text (item), FONT_SMALL_ITALIC,
                                        INK_TEXT, TEXT_WRAP, 2, 0, y + MM (0.3), COLUMN_W) + MM (0.3),
              _sesame_letter_line_height (self, FONT_CREDENTIAL));
  y = MAX (y, credentials + QR_SIZE) + ROW_GAP;

  y += _sesame_letter_paint_block (self, cr, "slip-address", draw_slip_address, item, 0, y);
  return y;
}

static void
draw_slip (SesameLetterLayout     *self,
           cairo_t                *cr,
           const SesameLetterItem *item,
           double                  x,
           double                  y)
{
  g_autofree char *frame_key = NULL;
  g_autofree char *description = describe_person (item);
  double top, bottom, height;

  frame_key = g_strdup_printf ("slip\x1f%s\x1f%d",
                               item->establishment ? item->establishment->jointure : "",
                               item->password_state);
  bottom = _sesame_letter_paint_block (self, cr, frame_key, draw_slip_frame, item, x, y) - MM (1);
  top = PADDING_Y + header_height (self, item) + MM (1);

  /* Very long names and addresses could make the slip taller than its cell:
   * it is then drawn smaller, whole. */
  height = draw_slip_body (self, NULL, item, description);
  cairo_save (cr);
  cairo_translate (cr, x + PADDING_X, y + top);
  if (height > bottom - top)
    {
      double scale = (bottom - top) / height;

      cairo_translate (cr, INNER_W * (1 - scale) / 2, 0);
      cairo_scale (cr, scale, scale);
    }
  draw_slip_body (self, cr, item, description);
  cairo_restore (cr);
}

static void
crop_mark (cairo_t *cr,
           double   x1,
           double   y1,
           double   x2,
           double   y2)
{
  _sesame_letter_draw_line (cr, INK_TEXT, 0.3, x1, y1, x2, y2);
}

void
_sesame_letter_draw_slip_page (SesameLetterLayout       *self,
                               cairo_t                  *cr,
                               const SesameLetterPage   *page,
                               SesameLetterItem * const *items)
{
  const SesameLetterItem *first = items[0];
  g_autofree char *title = _sesame_letter_group_title (first);
  g_autofree char *sheet = NULL;
  guint rows = (page->n_items + SESAME_SLIP_COLUMNS - 1) / SESAME_SLIP_COLUMNS;
  double grid_bottom = GRID_TOP + rows * CELL_H;
  double y = MM (9);

  /* The header: which class, which establishment, which sheet. */
  /* TRANSLATORS: sheet 1 of 3 of a class's slips; French "feuille %u sur %u" */
  sheet = g_strdup_printf (_("sheet %u of %u"), page->sheet, page->n_sheets);
  {
    double header_y = y + MM (0.5);

    if (first->establishment != NULL)
      header_y += _sesame_letter_draw_text (self, cr, first->establishment->name, FONT_SMALL, INK_MUTED,
                                            TEXT_RIGHT | TEXT_WRAP, 2, PAGE_W / 2, header_y,
                                            PAGE_W / 2 - MARGIN_X);
    _sesame_letter_draw_text (self, cr, sheet, FONT_SMALL, INK_MUTED, TEXT_RIGHT, 1,
                              PAGE_W / 2, header_y, PAGE_W / 2 - MARGIN_X);
  }
  y += _sesame_letter_draw_text (self, cr, title, FONT_TITLE, INK_ACCENT, TEXT_LINE, 1,
                                 MARGIN_X, y, PAGE_W / 2 - MARGIN_X);
  _sesame_letter_draw_text (self, cr,
                            _("Cut along the dotted lines and hand each person their own slip: it holds their password."),
                            FONT_SMALL_ITALIC, INK_MUTED, TEXT_LINE, 1, MARGIN_X, y + MM (0.5), GRID_W - MM (45));

  for (guint i = 0; i < page->n_items; i++)
    draw_slip (self, cr, items[i],
               MARGIN_X + (i % SESAME_SLIP_COLUMNS) * CELL_W,
               GRID_TOP + (i / SESAME_SLIP_COLUMNS) * CELL_H);

  /* Dotted cut lines around the slips (shared edges are drawn alike)… */
  for (guint i = 0; i < page->n_items; i++)
    {
      double left = MARGIN_X + (i % SESAME_SLIP_COLUMNS) * CELL_W;
      double top = GRID_TOP + (i / SESAME_SLIP_COLUMNS) * CELL_H;

      _sesame_letter_draw_dashed_line (cr, left, top, left + CELL_W, top);
      _sesame_letter_draw_dashed_line (cr, left, top + CELL_H, left + CELL_W, top + CELL_H);
      _sesame_letter_draw_dashed_line (cr, left, top, left, top + CELL_H);
      _sesame_letter_draw_dashed_line (cr, left + CELL_W, top, left + CELL_W, top + CELL_H);
    }

  /* …crop marks in the margins, where the cuts meet the edges… */
  for (guint row = 0; row <= rows; row++)
    {
      double line_y = GRID_TOP + row * CELL_H;

      crop_mark (cr, MM (3), line_y, MARGIN_X - MM (2), line_y);
      crop_mark (cr, PAGE_W - MARGIN_X + MM (2), line_y, PAGE_W - MM (3), line_y);
    }
  for (guint column = 0; column <= SESAME_SLIP_COLUMNS; column++)
    {
      double line_x = MARGIN_X + column * CELL_W;

      crop_mark (cr, line_x, GRID_TOP - MM (5), line_x, GRID_TOP - MM (2));
      crop_mark (cr, line_x, grid_bottom + MM (2), line_x, MIN (grid_bottom + MM (5), PAGE_H - MM (3)));
    }

  /* …and a pair of scissors where the cutting starts, on a gap in the line. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, MARGIN_X + MM (4), GRID_TOP - MM (2), MM (6), MM (4));
  cairo_fill (cr);
  _sesame_letter_draw_text (self, cr, "✂", FONT_HEADING, INK_MUTED, TEXT_CENTER, 1,
                            MARGIN_X + MM (4), GRID_TOP - _sesame_letter_line_height (self, FONT_HEADING) / 2, MM (6));
}
