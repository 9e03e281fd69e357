/*
 * fbcon.c: the screen console, on the GOP framebuffer the EFI stub recorded: light text on black in
 * Terminus 8x16 (build/gen/font.c), scaled up on tall screens so a 4K panel stays readable, honouring
 * pixels per scan line and the pixel format. The framebuffer is only ever written (reading it back is
 * slow on real hardware, where it is uncached): the text lives in a grid in RAM, and at the bottom the
 * screen jump-scrolls by half its height, redrawn once. Called by console.c for every byte.
 */
#include "defs.h"
#include "../lib/string.h"

#define GLYPH_W 8
#define GLYPH_H 16
#define FIRST_GLYPH 0x20
#define LAST_GLYPH 0x7e
#define MAX_COLS 480 /* 3840 / 8 */
#define MAX_ROWS 135 /* 2160 / 16 */
#define TAB 8
#define FG_LEVEL 0xd0 /* light grey: the same bytes in RGB and BGR layouts */

extern const uint8_t font8x16[LAST_GLYPH - FIRST_GLYPH + 1][GLYPH_H];

static struct {
	uint32_t *base;
	uint32_t pitch, scale, cols, rows, col, row, fg, bg;
} con;
static char grid[MAX_ROWS][MAX_COLS];

/* A grey level as a pixel of the framebuffer's format. */
static uint32_t grey(uint32_t level)
{
	if (boot.fb.format != FB_BITMASK)
		return level | level << 8 | level << 16;
	uint32_t px = 0, masks[3] = { boot.fb.red_mask, boot.fb.green_mask, boot.fb.blue_mask };
	for (int i = 0; i < 3; i++)
		if (masks[i])
			px |= (uint32_t)(((uint64_t)masks[i] * level / 0xff) & masks[i]);
	return px;
}

void fbcon_init(void)
{
	const struct bootinfo_fb *f = &boot.fb;
	if (f->format == FB_NONE || !f->base || !f->width || f->pixels_per_scanline < f->width)
		return;
	con.scale = f->height >= 2 * 1440 ? 3 : f->height >= 1440 ? 2 : 1;
	con.cols = f->width / (GLYPH_W * con.scale);
	con.rows = f->height / (GLYPH_H * con.scale);
	con.cols = con.cols > MAX_COLS ? MAX_COLS : con.cols;
	con.rows = con.rows > MAX_ROWS ? MAX_ROWS : con.rows;
	con.pitch = f->pixels_per_scanline;
	con.fg = grey(FG_LEVEL);
	con.bg = grey(0);
	con.base = P2V(f->base);
	memset(grid, ' ', sizeof(grid));
	for (uint64_t y = 0; y < f->height; y++)
		for (uint64_t x = 0; x < f->width; x++)
			con.base[y * con.pitch + x] = con.bg;
}

static void draw(uint32_t col, uint32_t row)
{
	const uint8_t *glyph = font8x16[grid[row][col] - FIRST_GLYPH];
	uint32_t *px = con.base + (uint64_t)row * GLYPH_H * con.scale * con.pitch + col * GLYPH_W * con.scale;
	for (uint32_t y = 0; y < GLYPH_H * con.scale; y++, px += con.pitch)
		for (uint32_t x = 0; x < GLYPH_W * con.scale; x++)
			px[x] = glyph[y / con.scale] & (0x80 >> (x / con.scale)) ? con.fg : con.bg;
}

/* Rows from `first` down blanked, and the whole screen redrawn from the grid. */
static void blank_from(uint32_t first)
{
	for (uint32_t r = first; r < con.rows; r++)
		memset(grid[r], ' ', con.cols);
	for (uint32_t r = 0; r < con.rows; r++)
		for (uint32_t c = 0; c < con.cols; c++)
			draw(c, r);
}

/* The bottom reached: keep the lower half, move it to the top, redraw once. */
static void scroll(void)
{
	uint32_t keep = con.rows / 2, drop = con.rows - keep;
	for (uint32_t r = 0; r < keep; r++)
		memcpy(grid[r], grid[r + drop], con.cols);
	blank_from(keep);
	con.row = keep;
}

/* A form feed: a fresh page, so that what follows (the benchmark's table) starts at the top of the screen
 * rather than wherever the last scroll left it. */
static void new_page(void)
{
	blank_from(0);
	con.row = con.col = 0;
}

static void newline(void)
{
	con.col = 0;
	if (++con.row == con.rows)
		scroll();
}

static void put(char ch)
{
	if (ch == '\n')
		return newline();
	if (ch == '\t') {
		do
			put(' ');
		while (con.col % TAB);
		return;
	}
	if (ch == '\r')
		return;
	if (ch == '\f')
		return new_page();
	grid[con.row][con.col] = ch >= FIRST_GLYPH && ch <= LAST_GLYPH ? ch : '?';
	draw(con.col, con.row);
	if (++con.col == con.cols)
		newline();
}

void fbcon_write(const char *s, size_t n)
{
	if (!con.base)
		return;
	for (size_t i = 0; i < n; i++)
		put(s[i]);
}
