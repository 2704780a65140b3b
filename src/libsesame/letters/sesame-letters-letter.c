/* sesame-letters-letter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The letter to a family: the establishment's letterhead, the address in the
 * window of a DL envelope, the children concerned, the credentials in a box
 * with the QR code of the ENT, how to sign in the first time, a polite
 * closing and the head of establishment's name.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-letters"

#include <glib/gi18n-lib.h>

#include "sesame-document-language-private.h"
#include "sesame-letters-layout-private.h"

#define LEFT             MM (20)
#define RIGHT            (PAGE_W - MM (20))
#define WIDTH            (RIGHT - LEFT)

/* A French DL envelope (110 × 220 mm) has its window (100 × 45 mm) 20 mm
 * from the right and 15 mm from the bottom. The sheet folded in three
 * moves a few millimetres in the envelope; this box stays in the window
 * wherever it sits, and its lines keep to the 38 characters of the
 * standard at 10 points. */
#define ADDRESS_X        MM (110)
#define ADDRESS_Y        MM (50)
#define ADDRESS_W        MM (85)
#define ADDRESS_H        MM (34)

#define DATE_Y           MM (90)
#define OPENING_Y        MM (101)
#define BOX_HEIGHT       MM (36)
#define BOX_PADDING      MM (5)
#define BOX_LABEL_W      MM (34)
#define BOX_QR_SIZE      MM (28)
#define BOX_ROW          MM (9)
#define MAX_CHILDREN     4
#define FOOTER_TOP       (PAGE_H - MM (17))

typedef enum
{
  ADDRESS_MADAM,
  ADDRESS_SIR,
  ADDRESS_BOTH,
} Address;

typedef struct
{
  const SesameLetterItem *item;
  Address                 address;
} LetterData;

static Address
address_for_title (const char *title)
{
  if (g_ascii_strcasecmp (title, "Mme") == 0 || g_ascii_strcasecmp (title, "Mlle") == 0 ||
      g_ascii_strcasecmp (title, "Madame") == 0 || g_ascii_strcasecmp (title, "Mademoiselle") == 0)
    return ADDRESS_MADAM;
  if (g_ascii_strcasecmp (title, "M.") == 0 || g_ascii_strcasecmp (title, "M") == 0 ||
      g_ascii_strcasecmp (title, "Monsieur") == 0)
    return ADDRESS_SIR;
  return ADDRESS_BOTH;
}

static const char *
salutation (Address address)
{
  switch (address)
    {
    case ADDRESS_MADAM:
      /* TRANSLATORS: the salutation of a letter; French "Madame," */
      return C_("salutation", "Madam,");
    case ADDRESS_SIR:
      /* TRANSLATORS: the salutation of a letter; French "Monsieur," */
      return C_("salutation", "Sir,");
    case ADDRESS_BOTH:
    default:
      /* TRANSLATORS: the salutation of a letter; French "Madame, Monsieur," */
      return C_("salutation", "Madam, Sir,");
    }
}

static char *
closing (Address address)
{
  const char *form;

  switch (address)
    {
    case ADDRESS_MADAM:
      form = C_("closing", "Madam");
      break;
    case ADDRESS_SIR:
      form = C_("closing", "Sir");
      break;
    case ADDRESS_BOTH:
    default:
      form = C_("closing", "Madam, Sir");
      break;
    }
  /* TRANSLATORS: the closing of a letter; %s is "Madam", "Sir" or
   * "Madam, Sir". French: "Nous vous prions d'agréer, %s, l'expression de
   * nos salutations distinguées." */
  return g_strdup_printf (_("Please accept, %s, our best regards."), form);
}

/* "GRENOBLE" → "Grenoble", "CLERMONT-FERRAND" → "Clermont-Ferrand". */
static char *
title_case (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  GString *result = g_string_new (NULL);
  gboolean start = TRUE;

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (result, start ? g_unichar_totitle (c) : c);
      start = !g_unichar_isalpha (c);
    }
  return g_string_free (result, FALSE);
}

/* The editable paragraph with {establishment} and {ent} filled in. */
static const char *
paragraph_for (SesameLetterLayout              *self,
               const SesameLetterEstablishment *establishment)
{
  const char *jointure = establishment ? establishment->jointure : "";
  GString *text;
  char *cached;

  cached = g_hash_table_lookup (self->paragraphs, jointure);
  if (cached != NULL)
    return cached;

  text = g_string_new (self->letter_text);
  g_string_replace (text, "{establishment}",
                    establishment && *establishment->name ? establishment->name : _("The establishment"), 0);
  g_string_replace (text, "{ent}", self->ent_name, 0);
  cached = g_string_free (text, FALSE);
  g_hash_table_insert (self->paragraphs, g_strdup (jointure), cached);
  return cached;
}

/* The letterhead, the date, the fold marks and the footer: the same on
 * every letter of an establishment. */
static double
draw_frame (SesameLetterLayout *self,
            cairo_t            *cr,
            gconstpointer       data)
{
  const SesameLetterEstablishment *establishment = data;
  const double header_w = ADDRESS_X - LEFT - MM (8);
  g_autofree char *dateline = NULL;
  double y = MM (15);

  /* Fold marks for a DL envelope: the sheet folds in three. */
  _sesame_letter_draw_line (cr, INK_RULE, 0.5, MM (5), PAGE_H / 3, MM (9), PAGE_H / 3);
  _sesame_letter_draw_line (cr, INK_RULE, 0.5, MM (5), 2 * PAGE_H / 3, MM (9), 2 * PAGE_H / 3);

  if (establishment != NULL && *establishment->city != '\0')
    /* TRANSLATORS: the town and date of a letter; French "%s, le %s" */
    dateline = g_strdup_printf (_("%s, %s"), establishment->city, self->date);
  else
    dateline = g_strdup (self->date);
  _sesame_letter_draw_text (self, cr, dateline, FONT_BODY, INK_TEXT, TEXT_LINE, 1,
                            ADDRESS_X, DATE_Y, RIGHT - ADDRESS_X);

  if (establishment == NULL)
    return PAGE_H;

  if (*establishment->academy != '\0')
    {
      g_autofree char *academy = title_case (establishment->academy);
      /* TRANSLATORS: above the establishment's name; French "Académie de %s"
       * (or "d'" before a vowel, e.g. "Académie d'Amiens") */
      g_autofree char *line = g_strdup_printf (_("Academy of %s"), academy);
      g_autofree char *upper = g_utf8_strup (line, -1);

      y += _sesame_letter_draw_text (self, cr, upper, FONT_TINY, INK_MUTED, TEXT_LINE, 1, LEFT, y, header_w);
      y += MM (1);
    }
  y += _sesame_letter_draw_text (self, cr, establishment->name, FONT_TITLE, INK_ACCENT,
                                 TEXT_WRAP, 2, LEFT, y, header_w);
  y += MM (1);
  y += _sesame_letter_draw_text (self, cr, establishment->street, FONT_SMALL, INK_TEXT,
                                 TEXT_WRAP, 3, LEFT, y, header_w);
  if (*establishment->postal_code != '\0' || *establishment->city != '\0')
    {
      g_autofree char *locality = g_strdup_printf ("%s %s", establishment->postal_code, establishment->city);
      y += _sesame_letter_draw_text (self, cr, g_strstrip (locality), FONT_SMALL, INK_TEXT,
                                     TEXT_LINE, 1, LEFT, y, header_w);
    }
  if (*establishment->phone != '\0')
    {
      /* TRANSLATORS: the establishment's phone number; French "Tél. %s" */
      g_autofree char *phone = g_strdup_printf (_("Phone %s"), establishment->phone);
      _sesame_letter_draw_text (self, cr, phone, FONT_SMALL, INK_TEXT, TEXT_LINE, 1, LEFT, y, header_w);
    }

  /* The footer: where the letter comes from, and a word of caution. */
  y = FOOTER_TOP;
  _sesame_letter_draw_line (cr, INK_RULE, 0.4, LEFT, y, RIGHT, y);
  y += MM (1.5);
  {
    g_autofree char *from = g_strdup_printf ("%s · %s %s %s · UAI %s",
                                             establishment->name, establishment->street,
                                             establishment->postal_code, establishment->city,
                                             establishment->uai);
    y += _sesame_letter_draw_text (self, cr, from, FONT_TINY, INK_MUTED, TEXT_CENTER, 1,
                                   LEFT, y, WIDTH);
  }
  _sesame_letter_draw_text (self, cr,
                            _("This letter holds personal credentials: keep it in a safe place and do not share it."),
                            FONT_TINY, INK_MUTED, TEXT_CENTER, 1, LEFT, y, WIDTH);
  return PAGE_H;
}

/* The subject, the salutation and the paragraph; returns where they end. */
static double
draw_opening (SesameLetterLayout *self,
              cairo_t            *cr,
              gconstpointer       data)
{
  const LetterData *letter = data;
  g_autofree char *subject = NULL;
  double y = OPENING_Y;

  /* TRANSLATORS: the subject of a letter; %s is the ENT's name. French
   * "Objet : votre compte %s" (with a no-break space before the colon) */
  subject = g_strdup_printf (_("Subject: your %s account"), self->ent_name);
  y += _sesame_letter_draw_text (self, cr, subject, FONT_BODY_BOLD, INK_TEXT, TEXT_LINE, 1, LEFT, y, WIDTH);
  y += MM (5);
  y += _sesame_letter_draw_text (self, cr, salutation (letter->address), FONT_BODY, INK_TEXT,
                                 TEXT_LINE, 1, LEFT, y, WIDTH);
  y += MM (2.5);
  y += _sesame_letter_draw_text (self, cr, paragraph_for (self, letter->item->establishment), FONT_BODY, INK_TEXT,
                                 TEXT_WRAP | TEXT_JUSTIFY, 12, LEFT, y, WIDTH);
  return y + MM (4);
}

static double
draw_children (SesameLetterLayout     *self,
               cairo_t                *cr,
               const SesameLetterItem *item,
               double                  y)
{
  guint n = item->children->len;
  guint shown = n > MAX_CHILDREN ? MAX_CHILDREN - 1 : n;

  y += _sesame_letter_draw_text (self, cr,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "This account gives access to the school life of your child:",
                                              "This account gives access to the school life of your children:", n),
                                 FONT_BODY, INK_TEXT, TEXT_LINE, 1, LEFT, y, WIDTH);
  y += MM (1);

  for (guint i = 0; i < shown; i++)
    {
      SesameLetterChild *child = g_ptr_array_index (item->children, i);
      g_autofree char *line = NULL;

      if (*child->class_name != '\0' && child->elsewhere != NULL)
        /* TRANSLATORS: a child in a letter: name, class, establishment;
         * French "%s, classe %s (%s)" */
        line = g_strdup_printf (_("%s, class %s (%s)"), child->name, child->class_name, child->elsewhere);
      else if (*child->class_name != '\0')
        /* TRANSLATORS: a child in a letter: name and class; French "%s, classe %s" */
        line = g_strdup_printf (_("%s, class %s"), child->name, child->class_name);
      else if (child->elsewhere != NULL)
        line = g_strdup_printf ("%s (%s)", child->name, child->elsewhere);
      else
        line = g_strdup (child->name);

      _sesame_letter_draw_text (self, cr, "•", FONT_BODY, INK_ACCENT, TEXT_LINE, 1, LEFT + MM (4), y, MM (4));
      y += _sesame_letter_draw_text (self, cr, line, FONT_BODY_BOLD, INK_TEXT, TEXT_LINE, 1,
                                     LEFT + MM (8), y, WIDTH - MM (8));
    }
  if (shown < n)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "and %u other child",
                                                            "and %u other children", n - shown),
                                               n - shown);
      y += _sesame_letter_draw_text (self, cr, more, FONT_BODY_ITALIC, INK_TEXT, TEXT_LINE, 1,
                                     LEFT + MM (8), y, WIDTH - MM (8));
    }
  return y + MM (4);
}

static double
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  return height;
}

#define VALUE_X (LEFT + BOX_PADDING + BOX_LABEL_W)
#define VALUE_W (WIDTH - 2 * BOX_PADDING - BOX_LABEL_W - BOX_QR_SIZE - MM (5))
#define ROW_Y(n) (BOX_PADDING + MM (0.5) + (n) * BOX_ROW)

/* The credentials box, from its top, without the login and the password. */
static double
draw_box (SesameLetterLayout *self,
          cairo_t            *cr,
          gconstpointer       data)
{
  const SesameLetterItem *item = data;
  const char *password_label;

  rounded_rectangle (cr, LEFT, 0, WIDTH, BOX_HEIGHT, MM (2));
  _sesame_letter_set_ink (cr, INK_TINT);
  cairo_fill_preserve (cr);
  _sesame_letter_set_ink (cr, INK_ACCENT);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);

  /* TRANSLATORS: a label in the credentials box of a letter; French "Adresse" */
  _sesame_letter_draw_text (self, cr, C_("letter", "Address"), FONT_SMALL, INK_MUTED, TEXT_LINE, 1,
                            LEFT + BOX_PADDING, ROW_Y (0) + MM (0.8), BOX_LABEL_W - MM (2));
  _sesame_letter_draw_text (self, cr, self->ent_url, FONT_BODY_BOLD, INK_ACCENT, TEXT_WRAP, 2,
                            VALUE_X, ROW_Y (0) + MM (0.3), VALUE_W);

  /* TRANSLATORS: a label in the credentials box of a letter; French "Identifiant" */
  _sesame_letter_draw_text (self, cr, C_("letter", "Login"), FONT_SMALL, INK_MUTED, TEXT_LINE, 1,
                            LEFT + BOX_PADDING, ROW_Y (1) + MM (1.2), BOX_LABEL_W - MM (2));

  password_label = item->password_state == SESAME_LETTER_PASSWORD_LIVE
                   /* TRANSLATORS: a label in the credentials box of a letter; French "Mot de passe provisoire" */
                   ? C_("letter", "First password")
                   /* TRANSLATORS: a label in the credentials box of a letter; French "Mot de passe" */
                   : C_("letter", "Password");
  _sesame_letter_draw_text (self, cr, password_label, FONT_SMALL, INK_MUTED, TEXT_WRAP, 2,
                            LEFT + BOX_PADDING, ROW_Y (2) + MM (1.2), BOX_LABEL_W - MM (2));
  if (item->password_state != SESAME_LETTER_PASSWORD_LIVE)
    _sesame_letter_draw_text (self, cr, _sesame_letter_password_text (item), FONT_BODY_ITALIC, INK_TEXT,
                              TEXT_WRAP, 2, VALUE_X, ROW_Y (2) + MM (0.8), VALUE_W);

  _sesame_letter_draw_qr (self, cr, LEFT + WIDTH - BOX_PADDING - BOX_QR_SIZE + MM (1),
                          (BOX_HEIGHT - BOX_QR_SIZE) / 2, BOX_QR_SIZE);
  return BOX_HEIGHT + MM (6);
}

/* How to sign in, the closing and the signature, from their top. */
static double
draw_closing (SesameLetterLayout *self,
              cairo_t            *cr,
              gconstpointer       data)
{
  const LetterData *letter = data;
  const SesameLetterEstablishment *establishment = letter->item->establishment;
  const char *steps[3] = { NULL, NULL, NULL };
  g_autofree char *first = NULL;
  g_autofree char *farewell = NULL;
  const char *heading;
  double y = 0;

  /* TRANSLATORS: French "Ouvrez %s dans un navigateur web, ou scannez le code QR avec un téléphone." */
  first = g_strdup_printf (_("Open %s in a web browser, or scan the QR code with a phone."), self->ent_url);
  steps[0] = first;

  switch (letter->item->password_state)
    {
    case SESAME_LETTER_PASSWORD_LIVE:
      heading = _("Signing in for the first time");
      steps[1] = _("Sign in with the login and the first password above, typed exactly as printed.");
      steps[2] = _("Choose your own password straight away: the first password then stops working. "
                   "Keep your new password secret.");
      break;
    case SESAME_LETTER_PASSWORD_PERSONALISED:
      heading = _("Signing in");
      steps[1] = _("Sign in with the login above and the password you chose. "
                   "If you have forgotten it, ask the school office for a new one.");
      break;
    case SESAME_LETTER_PASSWORD_EXPIRED:
    default:
      heading = _("Signing in for the first time");
      steps[1] = _("Your first password has expired: ask the school office for a new one, "
                   "then sign in with it and choose your own password.");
      break;
    }

  y += _sesame_letter_draw_text (self, cr, heading, FONT_HEADING, INK_ACCENT, TEXT_LINE, 1, LEFT, y, WIDTH);
  y += MM (1.5);
  for (guint i = 0; i < G_N_ELEMENTS (steps) && steps[i] != NULL; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u.", i + 1);

      _sesame_letter_draw_text (self, cr, number, FONT_BODY_BOLD, INK_ACCENT, TEXT_LINE, 1,
                                LEFT + MM (1), y, MM (6));
      y += _sesame_letter_draw_text (self, cr, steps[i], FONT_BODY, INK_TEXT, TEXT_WRAP, 2,
                                     LEFT + MM (7), y, WIDTH - MM (7));
      y += MM (1);
    }
  y += MM (3);

  farewell = closing (letter->address);
  y += _sesame_letter_draw_text (self, cr, farewell, FONT_BODY, INK_TEXT, TEXT_WRAP | TEXT_JUSTIFY, 2,
                                 LEFT, y, WIDTH);
  y += MM (6);

  /* TRANSLATORS: the signature of a letter; French "Le chef d'établissement" */
  y += _sesame_letter_draw_text (self, cr, _("The head of establishment"), FONT_BODY, INK_TEXT, TEXT_LINE, 1,
                                 ADDRESS_X, y, RIGHT - ADDRESS_X);
  if (establishment != NULL)
    y += _sesame_letter_draw_text (self, cr, establishment->head_name, FONT_BODY_BOLD, INK_TEXT, TEXT_LINE, 1,
                                   ADDRESS_X, y, RIGHT - ADDRESS_X);
  return y;
}

void
_sesame_letter_draw_letter_page (SesameLetterLayout     *self,
                                 cairo_t                *cr,
                                 const SesameLetterItem *item)
{
  const char *jointure = item->establishment ? item->establishment->jointure : "";
  LetterData letter = { item, address_for_title (item->title) };
  g_autofree char *frame_key = g_strdup_printf ("letter-frame\x1f%s", jointure);
  g_autofree char *opening_key = g_strdup_printf ("letter-opening\x1f%s\x1f%d", jointure, letter.address);
  g_autofree char *box_key = g_strdup_printf ("letter-box\x1f%d", item->password_state);
  g_autofree char *closing_key = g_strdup_printf ("letter-closing\x1f%s\x1f%d\x1f%d",
                                                  jointure, item->password_state, letter.address);
  double y, needed, room;

  _sesame_letter_paint_block (self, cr, frame_key, draw_frame, item->establishment, 0, 0);

  /* The address, in the envelope's window: every line, set smaller if
   * there are too many to fit. */
  {
    g_autofree char *address = g_strjoinv ("\n", item->address);

    _sesame_letter_draw_text (self, cr, address, FONT_BODY, INK_TEXT, TEXT_WRAP,
                              (int) (ADDRESS_H / _sesame_letter_line_height (self, FONT_BODY)),
                              ADDRESS_X, ADDRESS_Y, ADDRESS_W);
  }

  y = _sesame_letter_paint_block (self, cr, opening_key, draw_opening, &letter, 0, 0);

  /* Long names, many children and a long paragraph could push the
   * signature onto the footer: what follows the paragraph is then drawn
   * smaller, whole, above it. */
  needed = BOX_HEIGHT + MM (6) + _sesame_letter_paint_block (self, NULL, closing_key, draw_closing, &letter, 0, 0);
  if (item->children != NULL && item->children->len > 0)
    needed += draw_children (self, NULL, item, y) - y;
  room = FOOTER_TOP - MM (2) - y;
  cairo_save (cr);
  if (needed > room && room > 0)
    {
      cairo_translate (cr, LEFT, y);
      cairo_scale (cr, room / needed, room / needed);
      cairo_translate (cr, -LEFT, -y);
    }

  if (item->children != NULL && item->children->len > 0)
    y = draw_children (self, cr, item, y);

  _sesame_letter_paint_block (self, cr, box_key, draw_box, item, 0, y);
  _sesame_letter_draw_credential (self, cr, item->login, VALUE_X, y + ROW_Y (1), VALUE_W);
  if (item->password_state == SESAME_LETTER_PASSWORD_LIVE)
    _sesame_letter_draw_credential (self, cr, item->password, VALUE_X, y + ROW_Y (2), VALUE_W);
  y += BOX_HEIGHT + MM (6);

  _sesame_letter_paint_block (self, cr, closing_key, draw_closing, &letter, 0, y);
  cairo_restore (cr);
}
