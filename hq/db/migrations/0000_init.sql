CREATE SEQUENCE "public"."change_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "async_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"progress" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_leases" (
	"code" text PRIMARY KEY NOT NULL,
	"till_id" uuid NOT NULL,
	"leased_at" timestamp with time zone DEFAULT now() NOT NULL,
	"issued_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"card_code" text,
	"change_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gift_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gift_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"amount" bigint NOT NULL,
	"redemption_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ops" (
	"op_id" uuid PRIMARY KEY NOT NULL,
	"till_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"result" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" text PRIMARY KEY NOT NULL,
	"barcode" text,
	"name" text NOT NULL,
	"unit_price" bigint NOT NULL,
	"tax_rate" numeric NOT NULL,
	"currency" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"change_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"till_id" uuid,
	"ticket_id" text,
	"amount" bigint NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"overdraft" boolean DEFAULT false NOT NULL,
	"winner" jsonb,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rolled_back_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tills" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"token_hash" text NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tills_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "tombstones" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"change_seq" bigint NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vouchers" (
	"code" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"campaign" text,
	"category" text,
	"currency" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"quantity" integer,
	"redeemed_quantity" integer DEFAULT 0 NOT NULL,
	"gift_amount" bigint,
	"gift_balance" bigint,
	"attrs" jsonb NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"change_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "code_leases_till" ON "code_leases" USING btree ("till_id");--> statement-breakpoint
CREATE INDEX "customers_change_seq" ON "customers" USING btree ("change_seq");--> statement-breakpoint
CREATE INDEX "gift_ledger_code" ON "gift_ledger" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "ops_till_seq" ON "ops" USING btree ("till_id","seq");--> statement-breakpoint
CREATE INDEX "products_change_seq" ON "products" USING btree ("change_seq");--> statement-breakpoint
CREATE INDEX "products_barcode" ON "products" USING btree ("barcode");--> statement-breakpoint
CREATE INDEX "redemptions_code" ON "redemptions" USING btree ("code","created_at");--> statement-breakpoint
CREATE INDEX "redemptions_till" ON "redemptions" USING btree ("till_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tombstones_kind_id" ON "tombstones" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "tombstones_change_seq" ON "tombstones" USING btree ("change_seq");--> statement-breakpoint
CREATE INDEX "vouchers_change_seq" ON "vouchers" USING btree ("change_seq");--> statement-breakpoint
CREATE INDEX "vouchers_campaign" ON "vouchers" USING btree ("campaign","code");--> statement-breakpoint
CREATE INDEX "vouchers_status_type" ON "vouchers" USING btree ("status","type");