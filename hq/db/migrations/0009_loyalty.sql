-- Loyalty cards (contract v1 additions): programs replicated to tills, a card's points as hot columns,
-- loyalty earns and spends stored as redemptions of their kind (what a ROLLBACK reverses), and an
-- append-only points ledger. Every row from before is a REDEMPTION.
CREATE TABLE "loyalty_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"points" bigint NOT NULL,
	"redemption_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "loyalty_programs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"earn_points" integer NOT NULL,
	"earn_per_amount" bigint NOT NULL,
	"redeem_points" integer NOT NULL,
	"redeem_amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"change_seq" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "kind" text DEFAULT 'REDEMPTION' NOT NULL;--> statement-breakpoint
ALTER TABLE "redemptions" ADD COLUMN "points" bigint;--> statement-breakpoint
ALTER TABLE "vouchers" ADD COLUMN "points_balance" bigint;--> statement-breakpoint
ALTER TABLE "vouchers" ADD COLUMN "points_earned" bigint;--> statement-breakpoint
ALTER TABLE "vouchers" ADD COLUMN "points_spent" bigint;--> statement-breakpoint
CREATE INDEX "loyalty_ledger_code" ON "loyalty_ledger" USING btree ("code");--> statement-breakpoint
CREATE INDEX "loyalty_programs_change_seq" ON "loyalty_programs" USING btree ("change_seq");