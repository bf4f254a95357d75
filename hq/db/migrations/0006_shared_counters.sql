-- UNLOGGED (edited by hand; drizzle-kit has no option for it): counters are worth no WAL — after a
-- database crash they start again from zero, and standbys need none of them.
CREATE UNLOGGED TABLE "abuse_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_ends" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "abuse_counters_window_ends" ON "abuse_counters" USING btree ("window_ends");